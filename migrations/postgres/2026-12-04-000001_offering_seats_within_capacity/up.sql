-- Seats taken never exceed the capacity, whatever the order of concurrent changes.
ALTER TABLE offerings
    ADD CONSTRAINT offerings_seats_within_capacity CHECK (seats_taken <= capacity);
