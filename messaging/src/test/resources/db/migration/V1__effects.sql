create table effects (
    order_id    uuid not null,
    customer_id text not null,
    applied_at  timestamptz not null default clock_timestamp()
);
