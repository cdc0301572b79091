package dev.saga.test;

import com.icegreen.greenmail.util.GreenMail;

/** The SMTP server of this JVM (GreenMail), for tests that check what was sent. */
public final class TestMail {

  private TestMail() {}

  public static GreenMail server() {
    return SharedInfrastructure.mail();
  }
}
