package dev.calleval.serve;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The launch API's authentication: every request under {@code /api/} must carry {@code Authorization: Bearer <token>}
 * with the token of {@code CALLEVAL_API_TOKEN} ({@link ServeSettings#apiToken()}), compared in constant time (401 otherwise). Without the variable the
 * API is off: every request answers 503 saying so. The token never appears in logs or answers; the webhook endpoint
 * is not under {@code /api/} and keeps its own signature check.
 */
@Configuration(proxyBeanMethods = false)
@Profile("serve")
class ApiToken {
    private static final Logger log = LoggerFactory.getLogger(ApiToken.class);

    private final byte @Nullable [] tokenDigest;

    ApiToken(ServeSettings settings) {
        String token = settings.apiToken();
        this.tokenDigest = token.isBlank() ? null : sha256(token.strip());
    }

    /** Whether the API is on (a token is set). */
    public boolean enabled() {
        return tokenDigest != null;
    }

    /** Whether {@code authorization} (the header's value) is {@code Bearer <the token>}; constant time in the token. */
    boolean accepts(@Nullable String authorization) {
        if (tokenDigest == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(7).strip()));
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> apiTokenFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!enabled()) {
                    refuse(response, 503, "the launch API is off: CALLEVAL_API_TOKEN is not set (set it and restart serve)");
                } else if (!accepts(request.getHeader("Authorization"))) {
                    log.warn("launch API: refused {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                            request.getHeader("Authorization") == null ? "no Authorization header" : "wrong bearer token");
                    response.setHeader("WWW-Authenticate", "Bearer realm=\"calleval\"");
                    refuse(response, 401, "missing or wrong bearer token: send Authorization: Bearer <CALLEVAL_API_TOKEN>");
                } else {
                    chain.doFilter(request, response);
                }
            }
        });
        registration.addUrlPatterns("/api/*");
        registration.setName("apiToken");
        return registration;
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(ApiJson.write(java.util.Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[" + (enabled() ? "****" : "unset") + "]";
    }
}
