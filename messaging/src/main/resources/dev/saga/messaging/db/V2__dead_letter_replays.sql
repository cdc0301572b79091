-- Every replay of a dead-lettered record, and what it did (APPLIED, DUPLICATE, FAILED).
create table dead_letter_replays (
    id            bigint generated always as identity primary key,
    consumer      text        not null,
    dlt_topic     text        not null,
    dlt_partition int         not null,
    dlt_offset    bigint      not null,
    event_id      uuid,
    outcome       text        not null,
    detail        text,
    replayed_at   timestamptz not null default clock_timestamp()
);

create index dead_letter_replays_record on dead_letter_replays (dlt_topic, dlt_partition, dlt_offset);
