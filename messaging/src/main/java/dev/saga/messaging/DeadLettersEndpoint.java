package dev.saga.messaging;

import dev.saga.messaging.DeadLetters.DeadLetter;
import dev.saga.messaging.DeadLetters.Outcome;
import dev.saga.messaging.DeadLetters.Replay;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code /actuator/deadletters}: operators list what this service dead-lettered ({@code GET}, all
 * or {@code /{topic}/{partition}/{offset}}) and replay one record or every unreplayed one ({@code
 * POST}); guarded by the admin bearer token ({@link AdminTokenFilter}).
 */
@WebEndpoint(id = DeadLettersEndpoint.ID)
public class DeadLettersEndpoint {

  static final String ID = "deadletters";

  private final DeadLetters deadLetters;

  DeadLettersEndpoint(DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
  }

  /** The records, and how many there are. */
  public record DeadLetterList(int count, List<DeadLetter> records) {}

  /** What a replay of several records did: how many ended how, and each replay. */
  public record ReplayReport(int replayed, Map<Outcome, Integer> outcomes, List<Replay> replays) {

    static ReplayReport of(List<Replay> replays) {
      Map<Outcome, Integer> outcomes = new TreeMap<>();
      replays.forEach(replay -> outcomes.merge(replay.outcome(), 1, Integer::sum));
      return new ReplayReport(replays.size(), outcomes, replays);
    }
  }

  @ReadOperation
  public DeadLetterList list() {
    List<DeadLetter> records = deadLetters.list();
    return new DeadLetterList(records.size(), records);
  }

  @ReadOperation
  public WebEndpointResponse<DeadLetter> deadLetter(
      @Selector String topic, @Selector int partition, @Selector long offset) {
    return deadLetters
        .find(topic, partition, offset)
        .map(WebEndpointResponse::new)
        .orElseGet(() -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND));
  }

  /** Replays every record no replay has applied yet. */
  @WriteOperation
  public ReplayReport replayAll() {
    return ReplayReport.of(deadLetters.replayAll());
  }

  @WriteOperation
  public WebEndpointResponse<Replay> replay(
      @Selector String topic, @Selector int partition, @Selector long offset) {
    return deadLetters
        .replay(topic, partition, offset)
        .map(WebEndpointResponse::new)
        .orElseGet(() -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND));
  }
}
