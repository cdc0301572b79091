-- Events waiting to be published, in the order their transactions inserted them.
create table outbox (
    id           bigint generated always as identity primary key,
    event_id     uuid        not null,
    topic        text        not null,
    msg_key      text        not null,
    event_type   text        not null,
    data_schema  text        not null,
    source       text        not null,
    payload      bytea       not null,
    trace_parent text,
    created_at   timestamptz not null default clock_timestamp()
);

-- Events each consumer group has applied: the insert-first dedup table.
create table processed_events (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null default clock_timestamp(),
    primary key (consumer, event_id)
);

create index processed_events_processed_at on processed_events (processed_at);
