-- Products on sale and their stock. For every product, the sum of its stock adjustments equals
-- available + reserved + sold; nothing is ever oversold.
create table products (
    id         text primary key,
    name       text           not null,
    price      numeric(15, 2) not null check (price >= 0),
    currency   text           not null,
    active     boolean        not null,
    available  integer        not null check (available >= 0),
    reserved   integer        not null check (reserved >= 0),
    sold       integer        not null check (sold >= 0),
    -- The catalog version announced in ProductChanged: grows with every PUT, not with orders.
    version    bigint         not null,
    created_at timestamptz    not null,
    updated_at timestamptz    not null
);

create index products_newest_first on products (created_at desc, id);

-- Every change of a product's stock that did not come from an order (the PUTs of the catalog).
create table stock_adjustments (
    id         bigint generated always as identity primary key,
    product_id text        not null references products (id),
    delta      integer     not null,
    at         timestamptz not null
);

create index stock_adjustments_product on stock_adjustments (product_id);

-- The stock held for each order, and where its saga stands for the inventory.
create table reservations (
    order_id         uuid primary key,
    status           text        not null
        check (status in ('NEW', 'RESERVED', 'REJECTED', 'RELEASED', 'COMMITTED', 'CANCELLED')),
    customer_id      text,
    rejection_reason text check (rejection_reason in ('OUT_OF_STOCK', 'UNKNOWN_PRODUCT')),
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

-- The order's quantities per product (a product ordered on two lines is summed).
create table reservation_lines (
    order_id   uuid    not null references reservations (order_id),
    product_id text    not null,
    quantity   integer not null check (quantity > 0),
    primary key (order_id, product_id)
);
