-- The W3C traceparent the order was placed in: later work for it (a cancel, the deadline) starts a
-- trace of its own that links to this one.
alter table orders add column trace_parent text;

-- The newest orders of every customer, for the live page.
create index orders_newest on orders (created_at desc, id desc);

-- Every event of an order across the services, as this service consumed or published it, with
-- its CloudEvents attributes: the order's timeline.
create table order_timeline (
    seq         bigint      generated always as identity primary key,
    order_id    uuid        not null references orders (id),
    event_id    uuid        not null,
    event_type  text        not null,
    detail      text,
    source      text        not null,
    occurred_at timestamptz not null,
    trace_parent text,
    unique (order_id, event_id)
);

create index order_timeline_of_order on order_timeline (order_id, occurred_at, seq);
