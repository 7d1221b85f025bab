-- Request ids a server accepted (io.mailbus.outcome.DeliveredIds), in the table Camel's JdbcMessageIdRepository
-- (camel-sql) reads and writes. Its own CREATE would make messageId VARCHAR(100); a Mailbus key is the request id
-- (up to 128 characters), ':' and 24 hex digits. createdAt is indexed so that the retention cleanup
-- (io.mailbus.db.ExpiredRows) deletes old rows by range, without scanning the table.
CREATE TABLE camel_messageprocessed (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(255) NOT NULL,
    createdAt     TIMESTAMP    NOT NULL,
    PRIMARY KEY (processorName, messageId)
);
CREATE INDEX camel_messageprocessed_created ON camel_messageprocessed (createdAt);
