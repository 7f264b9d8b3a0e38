-- A results database of schema version 1, as main's fio-atomic (916fb1c) made it:
--   report ingest --run old-1 --host oldhost fio-small.json tear-1.json
--   report ingest --run old-2 --host oldhost qualify-v1.json
-- then dumped with sqlite3 .dump (which leaves out PRAGMA user_version).
PRAGMA user_version=1;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE runs ( id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);
INSERT INTO runs VALUES(1,'old-1',1796660863);
INSERT INTO runs VALUES(2,'old-2',1796660863);
CREATE TABLE files ( id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id), path TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, fio_version TEXT, started INTEGER, ingested INTEGER NOT NULL);
INSERT INTO files VALUES(1,1,'fio-small.json','627a01df6fc25f5c463500c20000035e','fio','fio-3.33',1764547200,1796660863);
INSERT INTO files VALUES(2,1,'tear-1.json','d4f3980a93d198fb62912b7a0000007a','tear',NULL,NULL,1796660863);
INSERT INTO files VALUES(3,2,'qualify-v1.json','7a367d5ea16b76b4c72659110000125d','qualify','fio-3.33',1767225600,1796660863);
CREATE TABLE results ( id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id), file_id INTEGER NOT NULL REFERENCES files(id), host TEXT NOT NULL, job TEXT NOT NULL, engine TEXT NOT NULL, rw TEXT NOT NULL, dir TEXT NOT NULL, bs INTEGER NOT NULL, iodepth INTEGER NOT NULL, numjobs INTEGER NOT NULL, iops REAL, bw_bytes REAL, clat_p50_ns REAL, clat_p99_ns REAL, clat_p999_ns REAL, torn INTEGER, intact INTEGER, checked INTEGER);
INSERT INTO results VALUES(1,1,1,'oldhost','w','atomic-uring','randwrite','write',16384,32,1,11700.499999999999999,191700000.0,2500000.0,5000000.0,7000000.0,NULL,NULL,NULL);
INSERT INTO results VALUES(2,1,1,'oldhost','r','atomic-uring','randread','read',65536,1,1,5000.0,327680000.0,150000.0,400000.0,900000.0,0,4990,5000);
INSERT INTO results VALUES(3,2,3,'oldhost','qualify','atomic-pvsync2','pwritev2','write',4096,1,1,9100.4999999999999999,37276000.0,98000.0,250000.0,900000.0,NULL,NULL,NULL);
INSERT INTO results VALUES(4,2,3,'oldhost','qualify','atomic-pvsync2','pwritev2','write',16384,1,1,6800.0,111411200.0,140000.0,410000.0,1200000.0,NULL,NULL,NULL);
INSERT INTO results VALUES(5,2,3,'oldhost','qualify','atomic-uring','io_uring','write',4096,16,1,14000.0,57344000.0,1100000.0,2900000.0,4000000.0,NULL,NULL,NULL);
INSERT INTO results VALUES(6,2,3,'oldhost','qualify','atomic-uring','io_uring','write',16384,16,1,11700.0,191692800.0,1300000.0,3300000.0,5000000.0,NULL,NULL,NULL);
CREATE INDEX results_run ON results(run_id);
COMMIT;
