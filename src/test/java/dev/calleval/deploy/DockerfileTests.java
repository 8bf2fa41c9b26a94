package dev.calleval.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Keeps the Dockerfile honest without a container engine (these machines have none): reads the Dockerfile, the
 * {@code .dockerignore} and the {@code docker run} lines the docs show (README.md, docs/docker.md), and checks that
 * each of those lines would find in the image what it needs — the job it runs, that job's manifest and every
 * recording, transcript and sidecar the manifest names — that the image's user can write its volumes without a
 * {@code chown -R} layer, and that the HEALTHCHECK probes the readiness path the application serves.
 */
class DockerfileTests {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String WORKDIR = "/app";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** One instruction of the Dockerfile's final stage, continuation lines joined. */
    record Instruction(String keyword, String arguments) {}

    /** The final stage (after the last FROM): the image that runs. */
    private static List<Instruction> finalStage() throws IOException {
        List<Instruction> all = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            String stripped = line.strip();
            if (current.isEmpty() && (stripped.isEmpty() || stripped.startsWith("#"))) {
                continue;
            }
            if (stripped.startsWith("#")) {
                continue; // a comment between continuation lines
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String text = current.toString().strip();
            int space = text.indexOf(' ');
            all.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
            current.setLength(0);
        }
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return all.subList(from, all.size());
    }

    /** The files of the build context copied into the image: container path → path in the repository. */
    private static Map<String, Path> copiedFromContext(List<Instruction> stage) {
        Map<String, Path> copies = new LinkedHashMap<>();
        String workdir = "/";
        for (Instruction i : stage) {
            if (i.keyword().equals("WORKDIR")) {
                workdir = i.arguments();
            }
            if (i.keyword().equals("COPY") && !i.arguments().contains("--from=")) {
                List<String> words = new ArrayList<>(List.of(i.arguments().split("\\s+")));
                words.removeIf(w -> w.startsWith("--"));
                String destination = words.get(words.size() - 1);
                String absolute = Path.of(workdir).resolve(destination).normalize().toString();
                for (String source : words.subList(0, words.size() - 1)) {
                    copies.put(words.size() == 2 ? absolute : Path.of(absolute, source).toString(), ROOT.resolve(source).normalize());
                }
            }
        }
        return copies;
    }

    /** Whether {@code .dockerignore} lets {@code path} (relative to the repository) into the build context. */
    private static boolean inContext(Path path) throws IOException {
        Path relative = ROOT.relativize(path.toAbsolutePath().normalize());
        boolean excluded = false;
        for (String line : Files.readAllLines(ROOT.resolve(".dockerignore"))) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean negated = pattern.startsWith("!");
            pattern = (negated ? pattern.substring(1) : pattern).replaceAll("/+$", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            for (Path p = relative; p != null; p = p.getParent()) { // a pattern matching a folder matches what it holds
                if (matcher.matches(p)) {
                    excluded = !negated;
                    break;
                }
            }
        }
        return !excluded;
    }

    /** Where a container path is, in the repository, when the image copies it from the build context (else null). */
    private static Path inImage(Map<String, Path> copies, String containerPath) throws IOException {
        String normalized = Path.of(containerPath).normalize().toString();
        for (Map.Entry<String, Path> copy : copies.entrySet()) {
            if (normalized.equals(copy.getKey()) || normalized.startsWith(copy.getKey() + "/")) {
                Path file = copy.getValue().resolve(Path.of(copy.getKey()).relativize(Path.of(normalized)).toString()).normalize();
                return Files.exists(file) && inContext(file) ? file : null;
            }
        }
        return null;
    }

    /** A documented {@code docker run}: its volumes (container paths) and the calleval command after the image name. */
    record DockerRun(String line, List<String> mounts, List<String> command) {}

    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-e", "--env", "-v", "--volume", "-p", "--publish", "--name", "--mount", "-u",
            "--user", "--env-file", "--network", "-w");

    /** Every {@code docker run ... calleval ...} line of README.md and docs/docker.md, continuation lines joined. */
    private static List<DockerRun> documentedRuns() throws IOException {
        List<DockerRun> runs = new ArrayList<>();
        for (Path doc : List.of(ROOT.resolve("README.md"), ROOT.resolve("docs/docker.md"))) {
            List<String> lines = Files.readAllLines(doc);
            for (int n = 0; n < lines.size(); n++) {
                if (!lines.get(n).strip().startsWith("docker run ")) {
                    continue;
                }
                StringBuilder text = new StringBuilder();
                int k = n;
                String line = lines.get(k).replaceAll("\\s+#.*$", "").strip();
                while (line.endsWith("\\")) {
                    text.append(line, 0, line.length() - 1).append(' ');
                    line = lines.get(++k).replaceAll("\\s+#.*$", "").strip();
                }
                text.append(line);
                runs.add(parse(doc.getFileName() + ":" + (n + 1) + ": " + text.toString().strip()));
            }
        }
        return runs;
    }

    private static DockerRun parse(String line) {
        String[] words = line.substring(line.indexOf("docker run ") + "docker run ".length()).trim().split("\\s+");
        List<String> mounts = new ArrayList<>();
        int i = 0;
        while (i < words.length && words[i].startsWith("-")) {
            String option = words[i];
            String value = OPTIONS_WITH_VALUE.contains(option) ? words[++i] : null;
            if (value != null && (option.equals("-v") || option.equals("--volume"))) {
                mounts.add(value.split(":")[1]);
            }
            if (value != null && option.equals("--mount")) {
                Matcher target = Pattern.compile("(?:dst|destination|target)=([^,]+)").matcher(value);
                assertThat(target.find()).as(line).isTrue();
                mounts.add(target.group(1));
            }
            i++;
        }
        assertThat(words[i]).as("the image of " + line).isEqualTo("calleval");
        return new DockerRun(line, mounts, List.of(words).subList(i + 1, words.length));
    }

    @Test
    void everyDocumentedDockerRunFindsItsJobAndItsCallsInTheImage() throws IOException {
        List<Instruction> stage = finalStage();
        Map<String, Path> copies = copiedFromContext(stage);
        List<DockerRun> runs = documentedRuns();
        assertThat(runs).as("docker run lines in README.md and docs/docker.md").hasSizeGreaterThanOrEqualTo(3);
        assertThat(runs).as("the sandbox trial is documented").anyMatch(r -> r.command().equals(List.of("run", "sample", "--sandbox")));
        assertThat(runs).as("serve (the default command) is documented").anyMatch(r -> r.command().isEmpty() || r.command().get(0).equals("serve"));

        for (DockerRun run : runs) {
            if (run.command().isEmpty() || !run.command().get(0).equals("run")) {
                continue;
            }
            String job = run.command().get(1);
            String jobFile = WORKDIR + "/jobs/" + job + ".yaml";
            Path definition = inImage(copies, jobFile);
            assertThat(definition).as("%s: %s is in the image", run.line(), jobFile).isNotNull();
            String location = YAML.readTree(definition.toFile()).path("source").path("location").asString();
            if (location.startsWith("s3://")) {
                continue;
            }
            String manifest = Path.of(jobFile).getParent().resolve(location).normalize().toString();
            if (run.mounts().stream().anyMatch(m -> manifest.startsWith(m + "/"))) {
                continue; // the line mounts it
            }
            Path manifestFile = inImage(copies, manifest);
            assertThat(manifestFile).as("%s: the manifest %s (%s relative to the job file) is in the image", run.line(), manifest, location).isNotNull();
            try (Reader in = Files.newBufferedReader(manifestFile)) {
                for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                    for (String column : List.of("recording", "transcript", "sidecar")) {
                        String value = row.isMapped(column) ? row.get(column) : "";
                        if (!value.isBlank() && !value.contains("://")) {
                            String file = Path.of(manifest).getParent().resolve(value).normalize().toString();
                            assertThat(inImage(copies, file)).as("%s: %s of %s (%s) is in the image", run.line(), column, row.get("call_id"), file)
                                    .isNotNull();
                        }
                    }
                }
            }
        }
    }

    @Test
    void theImagesUserCanWriteItsVolumesWithoutAChownLayer() throws IOException {
        List<Instruction> stage = finalStage();
        String dockerfile = String.join("\n", Files.readAllLines(ROOT.resolve("Dockerfile")).stream().filter(l -> !l.strip().startsWith("#")).toList());
        assertThat(dockerfile).as("a chown -R after the copies duplicates every file it touches into a new layer")
                .doesNotContainPattern("chown\\s+(-R|--recursive)");

        int user = -1;
        String userName = null;
        List<String> volumes = new ArrayList<>();
        for (int i = 0; i < stage.size(); i++) {
            Instruction instruction = stage.get(i);
            if (instruction.keyword().equals("USER")) {
                user = i;
                userName = instruction.arguments();
            }
            if (instruction.keyword().equals("VOLUME")) {
                Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(instruction.arguments());
                while (m.find()) {
                    volumes.add(m.group(1));
                }
            }
        }
        assertThat(userName).as("runs as a non-root user").isNotNull().isNotIn("root", "0");
        assertThat(volumes).contains("/app/data", "/app/reports");
        List<String> before = stage.subList(0, user).stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::arguments).toList();
        for (String volume : volumes) {
            String owner = userName.split(":")[0];
            assertThat(before).as("%s is created owned by %s before USER (install -d -o %s ...)", volume, owner, owner)
                    .anyMatch(run -> run.matches(".*install\\s+-d\\s+(?:-\\S+\\s+\\S+\\s+)*?-o\\s+" + owner + "\\b.*" + Pattern.quote(volume) + "\\b.*")
                            || run.matches(".*mkdir\\b.*" + Pattern.quote(volume) + "\\b.*chown\\s+" + owner + "\\S*\\s+.*" + Pattern.quote(volume) + "\\b.*"));
        }
    }

    @Test
    void theHealthcheckProbesTheReadinessPathTheApplicationServes() throws IOException {
        JsonNode application = YAML.readTree(ROOT.resolve("src/main/resources/application.yaml").toFile());
        JsonNode management = application.path("management");
        assertThat(management.path("endpoint").path("health").path("probes").path("enabled").asBoolean()).isTrue();
        String basePath = management.path("endpoints").path("web").path("base-path").asString("/actuator");
        String readiness = basePath + "/health/readiness";

        Instruction healthcheck = finalStage().stream().filter(i -> i.keyword().equals("HEALTHCHECK")).findFirst().orElse(null);
        assertThat(healthcheck).as("a HEALTHCHECK").isNotNull();
        assertThat(healthcheck.arguments()).contains("GET " + readiness + " ").contains("${SERVER_PORT:-8080}").contains(" 200");
        assertThat(Files.readString(ROOT.resolve("jobs/deploy/kubernetes.yaml"))).as("the Kubernetes example probes the same path")
                .contains("readinessProbe:").contains("path: " + readiness);
    }

    @Test
    void theClassDataSharingArchiveIsTrainedOnTheClassPathTheEntrypointRuns() throws IOException {
        List<Instruction> stage = finalStage();
        int training = -1;
        for (int i = 0; i < stage.size(); i++) {
            if (stage.get(i).keyword().equals("RUN") && stage.get(i).arguments().contains("-XX:ArchiveClassesAtExit=")) {
                training = i;
            }
        }
        assertThat(training).as("a RUN that trains the archive").isNotNegative();
        String run = stage.get(training).arguments();
        String archive = run.replaceAll(".*-XX:ArchiveClassesAtExit=(\\S+).*", "$1");
        String jar = run.replaceAll(".*-jar (\\S+).*", "$1");
        assertThat(run).as("the training exits once the context is refreshed").contains("-Dspring.context.exit=onRefresh");
        for (Instruction later : stage.subList(training + 1, stage.size())) {
            assertThat(later.keyword().equals("COPY") && later.arguments().contains("--from=build")).as("no class path layer is copied after the training: " + later)
                    .isFalse();
        }
        Instruction entrypoint = stage.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).reduce((a, b) -> b).orElseThrow();
        assertThat(entrypoint.arguments()).contains("\"-XX:SharedArchiveFile=" + archive + "\"").contains("\"-jar\", \"" + jar + "\"");
        assertThat(Files.readString(ROOT.resolve("Dockerfile"))).as("the jar is extracted as calleval.jar + lib/, which -jar runs")
                .contains("extract --layers --destination /layers").doesNotContain("--launcher");
    }

    @Test
    void theBuildContextLeavesOutBuildOutputStateAndHistory() throws IOException {
        for (String left : List.of("target/calleval.jar", "data/calleval.mv.db", "reports/sample/1/summary.json", ".git/HEAD", "bench/README.md",
                "docs/docker.md")) {
            assertThat(inContext(ROOT.resolve(left))).as(left + " is not sent to the builder").isFalse();
        }
        Map<String, Path> copies = copiedFromContext(finalStage());
        for (Path source : copies.values()) {
            assertThat(source).as("COPY source exists").exists();
            assertThat(inContext(source)).as("COPY source %s is let in by .dockerignore", ROOT.relativize(source)).isTrue();
        }
        for (String built : List.of("pom.xml", "src/main/java/dev/calleval/CallevalApplication.java")) {
            assertThat(inContext(ROOT.resolve(built))).as(built + " reaches the build stage").isTrue();
        }
        try (Stream<Path> jobs = Files.list(ROOT.resolve("jobs"))) {
            assertThat(jobs.filter(p -> p.toString().endsWith(".yaml"))).allMatch(p -> {
                try {
                    return inContext(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
