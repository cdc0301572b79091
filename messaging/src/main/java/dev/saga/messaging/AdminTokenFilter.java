package dev.saga.messaging;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a request through to the operators' endpoints only with {@code Authorization: Bearer
 * <saga.messaging.admin.token>}; without a configured token, no request at all.
 */
final class AdminTokenFilter implements Filter {

  private static final String BEARER = "Bearer ";

  private final byte[] token;

  AdminTokenFilter(String token) {
    this.token =
        token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse answer = (HttpServletResponse) response;
    if (token == null) {
      problem(
          answer,
          HttpServletResponse.SC_FORBIDDEN,
          "Forbidden",
          "Dead-letter administration is off: set saga.messaging.admin.token");
      return;
    }
    String authorization = http.getHeader("Authorization");
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || !MessageDigest.isEqual(
            token,
            authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8))) {
      answer.setHeader("WWW-Authenticate", "Bearer realm=\"saga-admin\"");
      problem(
          answer,
          HttpServletResponse.SC_UNAUTHORIZED,
          "Unauthorized",
          "A bearer token is required (saga.messaging.admin.token)");
      return;
    }
    chain.doFilter(request, response);
  }

  private static void problem(HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(
            "{\"type\":\"about:blank\",\"title\":\""
                + title
                + "\",\"status\":"
                + status
                + ",\"detail\":\""
                + detail
                + "\"}");
  }
}
