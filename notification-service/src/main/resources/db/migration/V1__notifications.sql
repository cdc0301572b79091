-- One notification per order outcome. A PENDING row is also this service's mail outbox: the mail
-- relay sends it and marks it SENT in one transaction, retrying failed sends at next_attempt_at.
create table notifications (
    notification_id uuid         primary key,
    order_id        uuid         not null,
    outcome         varchar(16)  not null check (outcome in ('CONFIRMED', 'CANCELLED')),
    customer_id     varchar(64)  not null,
    recipient       varchar(320) not null,
    subject         varchar(200) not null,
    body            text         not null,
    message_id      varchar(998) not null unique,
    status          varchar(16)  not null check (status in ('PENDING', 'SENT')),
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null,
    last_error      text,
    created_at      timestamptz  not null,
    sent_at         timestamptz,
    constraint notifications_one_per_outcome unique (order_id, outcome),
    constraint notifications_sent_at_when_sent check ((status = 'SENT') = (sent_at is not null))
);

-- The relay's claim: pending mails that are due, oldest due first.
create index notifications_pending on notifications (next_attempt_at) where status = 'PENDING';
