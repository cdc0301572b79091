-- Customer payment accounts. The check is the last line of defence: no balance ever goes negative.
create table accounts (
    customer_id text           primary key,
    balance     numeric(18, 2) not null check (balance >= 0),
    created_at  timestamptz    not null default clock_timestamp()
);

-- Every PUT of an account, so "the balance set by its last PUT" (invariant 3) can be checked.
-- at is the database clock when the row is inserted, i.e. while the account row is locked, so
-- it orders resets and payments of one customer exactly as they were applied.
create table account_resets (
    id          bigint generated always as identity primary key,
    customer_id text           not null references accounts,
    balance     numeric(18, 2) not null check (balance >= 0),
    at          timestamptz    not null default clock_timestamp()
);

create index account_resets_customer_at on account_resets (customer_id, at);

-- What payment did about each order, one row per order, locked by every event of the order.
-- amount is unknown until the reservation arrives (a cancellation can come first).
create table payment_orders (
    order_id       uuid           primary key,
    customer_id    text           not null,
    currency       text           not null,
    amount         numeric(18, 2) check (amount >= 0),
    status         text           not null
        check (status in ('PENDING', 'CHARGED', 'DECLINED', 'CANCELLED', 'REFUSED', 'REFUNDED')),
    decline_reason text
        check (decline_reason in ('INSUFFICIENT_FUNDS', 'UNKNOWN_ACCOUNT')),
    created_at     timestamptz    not null default clock_timestamp()
);

create index payment_orders_customer on payment_orders (customer_id);

-- Money that moved for an order: at most one charge and one refund each.
create table payments (
    payment_id uuid           primary key,
    order_id   uuid           not null references payment_orders,
    type       text           not null check (type in ('CHARGE', 'REFUND')),
    amount     numeric(18, 2) not null check (amount >= 0),
    at         timestamptz    not null default clock_timestamp(),
    unique (order_id, type)
);
