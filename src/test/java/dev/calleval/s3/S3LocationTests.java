package dev.calleval.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3LocationTests {
    @Test
    void parsesAndFormatsBucketAndKey() {
        S3Location location = S3Location.parse("s3://calls-prod/manifests/2026/calls.csv");
        assertThat(location.bucket()).isEqualTo("calls-prod");
        assertThat(location.key()).isEqualTo("manifests/2026/calls.csv");
        assertThat(location.parentPrefix()).isEqualTo("manifests/2026/");
        assertThat(location.fileName()).isEqualTo("calls.csv");
        assertThat(location).hasToString("s3://calls-prod/manifests/2026/calls.csv");
        assertThat(S3Location.parse("s3://bkt")).isEqualTo(new S3Location("bkt", ""));
        assertThat(S3Location.parse("S3://bkt/p/")).isEqualTo(new S3Location("bkt", "p/"));
        assertThat(S3Location.parse("S3://bkt/p/").fileName()).isEqualTo("p");
        assertThat(S3Location.parse("s3://bkt/a key with spaces%20.wav").key()).isEqualTo("a key with spaces%20.wav");
        assertThat(S3Location.parse(new S3Location("bkt", "x/y.csv").toString())).isEqualTo(new S3Location("bkt", "x/y.csv"));
    }

    @Test
    void resolvesRelativePathsAgainstTheKeysPrefix() {
        S3Location manifest = S3Location.parse("s3://bkt/in/manifests/calls.csv");
        assertThat(manifest.resolve("rec/1.wav")).hasToString("s3://bkt/in/manifests/rec/1.wav");
        assertThat(manifest.resolve("./rec//1.wav")).hasToString("s3://bkt/in/manifests/rec/1.wav");
        assertThat(manifest.resolve("../recordings/1.wav")).hasToString("s3://bkt/in/recordings/1.wav");
        assertThat(manifest.resolve("/top.wav")).hasToString("s3://bkt/top.wav");
        assertThat(manifest.resolve("s3://other/x.wav")).hasToString("s3://other/x.wav");
        assertThat(S3Location.parse("s3://bkt/calls.csv").resolve("1.wav")).hasToString("s3://bkt/1.wav");
        assertThat(S3Location.parse("s3://bkt/reports").child("sample/1/summary.json")).hasToString("s3://bkt/reports/sample/1/summary.json");
        assertThat(S3Location.parse("s3://bkt/").child("x")).hasToString("s3://bkt/x");
    }

    @Test
    void refusesBadInputNamingIt() {
        assertThatThrownBy(() -> S3Location.parse("https://bkt/k")).hasMessageContaining("not an S3 location 'https://bkt/k'");
        assertThatThrownBy(() -> S3Location.parse("s3:///k")).hasMessageContaining("no bucket");
        assertThatThrownBy(() -> S3Location.parse("s3://bkt//k")).hasMessageContaining("must not start with '/'");
        assertThatThrownBy(() -> S3Location.parse(" s3://bkt/k")).hasMessageContaining("not an S3 location");
        assertThatThrownBy(() -> S3Location.parse("s3://bkt/k ")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> S3Location.parse("s3://bkt/a/calls.csv").resolve("")).hasMessageContaining("empty path");
        assertThatThrownBy(() -> S3Location.parse("s3://bkt/a/calls.csv").resolve("../../x.wav"))
                .hasMessageContaining("goes above the bucket's root");
        assertThat(S3Location.isS3("s3://bkt/k")).isTrue();
        assertThat(S3Location.isS3("rec/1.wav")).isFalse();
    }
}
