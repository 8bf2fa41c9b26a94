# syntax=docker/dockerfile:1
# Multi-stage build: compile with Maven, split the Spring Boot jar into layers (calleval.jar + lib/), train a class-data
# sharing archive, run as a non-root user.
# Build context: .dockerignore lets in only pom.xml, src/, jobs/ and sample-data/ (docs/docker.md).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
RUN mvn -B -ntp -q package -DskipTests \
 && java -Djarmode=tools -jar target/calleval.jar extract --layers --destination /layers

FROM eclipse-temurin:17-jre
# a fixed uid/gid (10001), so that Kubernetes (runAsUser, fsGroup) and bind-mounted host folders can be given to it
RUN groupadd --gid 10001 calleval && useradd --uid 10001 --gid calleval --no-create-home --home-dir /app --shell /usr/sbin/nologin calleval
WORKDIR /app
# Code, job files and sample data belong to root and are read-only for calleval: it writes only its two volumes.
# Least often changed first, so that a rebuild after a code change re-sends only the application layer.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
# the sample calls (21 MB): `docker run --rm calleval run sample --sandbox` works out of the box; the sample jobs read
# ../sample-data/... relative to /app/jobs, i.e. /app/sample-data
COPY sample-data ./sample-data
COPY jobs ./jobs
COPY --from=build /layers/application/ ./
# Class data sharing (docs/deployment.md): a training start that exits once the context is refreshed writes the archive
# of the classes a start loads; every later start maps them parsed (`status` 4.3 s -> 2.3 s, 348 -> 239 MB on 2 cores,
# docs/bench/startup.md). Same JDK and class path at run time, so it is trained here, on the image's own java.
RUN CALLEVAL_DB_URL=jdbc:h2:mem:cds java -XX:ArchiveClassesAtExit=/app/calleval.jsa -Dspring.context.exit=onRefresh \
      -jar /app/calleval.jar serve > /dev/null
# The volumes, created owned by calleval in this small layer (no `chown -R` copy of the layers above); a new named
# volume takes this owner, a bind-mounted host folder must be writable by the image's user (docs/docker.md)
RUN install -d -o calleval -g calleval -m 0750 /app/data /app/reports
USER calleval
EXPOSE 8080
VOLUME ["/app/data", "/app/reports"]
# serve is healthy when /actuator/health/readiness answers 200. bash's /dev/tcp instead of curl: nothing added to the
# image, and no reliance on the base image keeping curl or wget
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/"${SERVER_PORT:-8080}" && printf "GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && read -r status <&3 && [[ "$status" == "HTTP/1."?" 200"* ]]'
# serve by default: webhook receiver, schedules of jobs/*.yaml, launch API (CALLEVAL_API_TOKEN); any other command
# replaces it, e.g. `docker run ... calleval run sample --sandbox` or `... calleval reconcile`
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/calleval.jsa", "-Xlog:disable", "-Xlog:all=warning:stderr", "-jar", "/app/calleval.jar"]
CMD ["serve"]
