# syntax=docker/dockerfile:1
# Multi-stage build: compile with Maven, split the Spring Boot jar into layers, run as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
RUN mvn -B -ntp -q package -DskipTests \
 && java -Djarmode=tools -jar target/calleval.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
RUN groupadd --system calleval && useradd --system --gid calleval --home-dir /app calleval
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY jobs ./jobs
RUN mkdir -p /app/data /app/reports && chown -R calleval:calleval /app
USER calleval
EXPOSE 8080
VOLUME ["/app/data", "/app/reports"]
# serve by default: webhook receiver, schedules of jobs/*.yaml, launch API (CALLEVAL_API_TOKEN); any other command
# replaces it, e.g. `docker run ... calleval run sample` or `... calleval reconcile`
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
CMD ["serve"]
