# The rows of orders.csv of test-violations-json in an SQLite table, the way a warehouse types them.
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE orders (order_id TEXT, customer_email TEXT, quantity INTEGER, amount NUMERIC, status TEXT,
                     currency TEXT, ordered_on DATE, gift BOOLEAN, note TEXT);
INSERT INTO orders VALUES ('o-1','ann@example.com',1,10.5,'placed','EUR','2026-03-01',1,NULL);
INSERT INTO orders VALUES ('o-1','bob@example.com',2,20,'paid','USD','2026-03-01',0,NULL);
INSERT INTO orders VALUES ('bad','cy@example.com','x',-5,'shipped','EUR','2026-03-01',1,NULL);
INSERT INTO orders VALUES ('o-4',NULL,4,40,'lost','GBP',NULL,0,NULL);
INSERT INTO orders VALUES ('o-5','dee@example.com',50,50,'paid','USD','2026-02-30','yes','a note');
""")
db.commit()
