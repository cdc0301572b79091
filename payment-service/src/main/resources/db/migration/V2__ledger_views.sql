-- Read-only views to check invariant 3 (money is conserved) against this service's own records.
-- See payment-service/README.md for the queries that must return no rows once the system is quiet.

-- Per customer: the balance set by the last PUT and the money that moved since.
-- balance = reset_balance - charged_since_reset + refunded_since_reset always holds.
create view account_ledger as
select a.customer_id,
       a.balance,
       r.balance                                                         as reset_balance,
       r.at                                                              as reset_at,
       coalesce(sum(p.amount) filter (where p.type = 'CHARGE'), 0)::numeric(18, 2)
                                                                         as charged_since_reset,
       coalesce(sum(p.amount) filter (where p.type = 'REFUND'), 0)::numeric(18, 2)
                                                                         as refunded_since_reset
from accounts a
join lateral (
    select balance, at
    from account_resets
    where customer_id = a.customer_id
    order by at desc, id desc
    limit 1
) r on true
left join payment_orders o on o.customer_id = a.customer_id
left join payments p on p.order_id = o.order_id and p.at > r.at
group by a.customer_id, a.balance, r.balance, r.at;

-- Per order: what was charged and refunded. A cancelled order nets to 0; a confirmed one has
-- exactly one charge of its total and no refund.
create view order_ledger as
select o.order_id,
       o.customer_id,
       o.status,
       o.amount,
       count(p.payment_id) filter (where p.type = 'CHARGE')                          as charges,
       count(p.payment_id) filter (where p.type = 'REFUND')                          as refunds,
       coalesce(sum(p.amount) filter (where p.type = 'CHARGE'), 0)::numeric(18, 2)   as charged,
       coalesce(sum(p.amount) filter (where p.type = 'REFUND'), 0)::numeric(18, 2)   as refunded
from payment_orders o
left join payments p on p.order_id = o.order_id
group by o.order_id, o.customer_id, o.status, o.amount;
