-- A mail whose recipient the mail server refused permanently (an SMTP 5xx reply to RCPT TO) is
-- REJECTED: it is never sent again and no longer keeps the mail outbox busy; last_error holds the
-- server's reply.
alter table notifications drop constraint notifications_status_check;
alter table notifications
    add constraint notifications_status_check check (status in ('PENDING', 'SENT', 'REJECTED'));
alter table notifications add column rejected_at timestamptz;
alter table notifications add constraint notifications_rejected_at_when_rejected
    check ((status = 'REJECTED') = (rejected_at is not null));
