package dev.calleval.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcSecretsTests {
    @Test
    void masksPasswordParametersAndUrlPasswordsInUrlsAndDriverMessages() {
        assertThat(JdbcSecrets.masked("jdbc:postgresql://db:5432/calleval?user=app&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/calleval?user=app&password=****&ssl=true");
        assertThat(JdbcSecrets.masked("jdbc:h2:tcp://sa:s3cret@localhost/data/calleval"))
                .isEqualTo("jdbc:h2:tcp://sa:****@localhost/data/calleval");
        assertThat(JdbcSecrets.masked("Connection to postgresql://app:pa55@db:5432/x refused. PWD=abc; retry"))
                .doesNotContain("pa55").doesNotContain("abc").contains("refused");
        assertThat(JdbcSecrets.masked("Connection to 127.0.0.1:5432 refused")).isEqualTo("Connection to 127.0.0.1:5432 refused");
    }
}
