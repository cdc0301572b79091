package dev.saga.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpServerTests {

  @TempDir static Path baseDir;

  private static LocalStack stack;

  @BeforeAll
  static void startSmtp() {
    stack =
        LocalStack.builder()
            .baseDir(baseDir)
            .ports(StackPorts.free())
            .components(LocalStack.Component.SMTP)
            .noServices()
            .build();
    stack.startInfrastructure();
  }

  @AfterAll
  static void stopSmtp() {
    stack.close();
  }

  @Test
  void acceptsAMailWithoutAuthenticationAndShowsItInItsRestApi() throws Exception {
    try (Socket socket = new Socket("localhost", stack.smtp().port());
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        PrintWriter out =
            new PrintWriter(socket.getOutputStream(), true, StandardCharsets.US_ASCII)) {
      expect(in, "220");
      command(out, in, "EHLO test.local", "250");
      command(out, in, "MAIL FROM:<orders@saga.local>", "250");
      command(out, in, "RCPT TO:<C-1@customers.local>", "250");
      command(out, in, "DATA", "354");
      out.print(
          "From: orders@saga.local\r\n"
              + "To: C-1@customers.local\r\n"
              + "Subject: Your order is confirmed\r\n"
              + "Message-ID: <order-1.confirmed@saga.local>\r\n"
              + "\r\n"
              + "Thank you.\r\n"
              + ".\r\n");
      out.flush();
      expect(in, "250");
      command(out, in, "QUIT", "221");
    }

    HttpResponse<String> messages =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            stack.smtp().apiUrl() + "/api/user/C-1@customers.local/messages/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(messages.statusCode()).isEqualTo(200);
    assertThat(messages.body())
        .contains("Your order is confirmed")
        .contains("order-1.confirmed@saga.local");
  }

  private static void command(PrintWriter out, BufferedReader in, String line, String expected)
      throws Exception {
    out.print(line + "\r\n");
    out.flush();
    expect(in, expected);
  }

  /** Reads one (possibly multi-line) SMTP reply and checks its code. */
  private static void expect(BufferedReader in, String code) throws Exception {
    String line;
    do {
      line = in.readLine();
      assertThat(line).as("SMTP reply").isNotNull().startsWith(code);
    } while (line.charAt(3) == '-');
  }
}
