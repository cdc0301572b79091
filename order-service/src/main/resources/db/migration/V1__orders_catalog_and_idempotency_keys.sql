-- Orders; the row is the lock that serializes every change of one order.
create table orders (
    id                  uuid          primary key,
    customer_id         text          not null,
    status              text          not null check (status in ('PENDING', 'CONFIRMED', 'CANCELLED')),
    cancellation_reason text,
    total_amount        numeric(19,2) not null,
    currency            text          not null,
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null,
    version             bigint        not null,
    check ((status = 'CANCELLED') = (cancellation_reason is not null))
);

-- A customer's orders, newest first.
create index orders_customer_newest on orders (customer_id, created_at desc, id desc);

-- The saga deadline looks only at pending orders, oldest first.
create index orders_pending_oldest on orders (created_at) where status = 'PENDING';

create table order_lines (
    order_id   uuid          not null references orders (id),
    line_no    integer       not null,
    product_id text          not null,
    quantity   integer       not null check (quantity between 1 and 1000),
    unit_price numeric(19,2) not null,
    primary key (order_id, line_no)
);

-- Status changes and consumed events of each order, in the order they happened.
create table order_history (
    order_id    uuid        not null references orders (id),
    seq         integer     not null,
    kind        text        not null check (kind in ('STATUS', 'EVENT')),
    name        text        not null,
    occurred_at timestamptz not null,
    primary key (order_id, seq)
);

-- The read model of the catalog: the highest version of each product seen on the catalog topic.
create table catalog_products (
    product_id text          primary key,
    name       text          not null,
    price      numeric(19,2) not null,
    currency   text          not null,
    active     boolean       not null,
    version    bigint        not null
);

-- Idempotency-Keys of placed orders, with the request and the response to answer a repeat with.
create table idempotency_keys (
    key           text        primary key,
    request       text        not null,
    response_body text        not null,
    location      text        not null,
    created_at    timestamptz not null default now()
);

create index idempotency_keys_created_at on idempotency_keys (created_at);
