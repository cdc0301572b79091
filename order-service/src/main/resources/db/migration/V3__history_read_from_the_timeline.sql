-- An order's history is read from its timeline, which records every event the service consumed or
-- published for it (the published ones are its status changes): the second copy goes.
drop table order_history;
