import Storage

/// Records on their way to their writers' journals, appended a batch at a time: each journal gets
/// its records in the order they were added, and no more than `limit` records wait at once, so
/// memory stays flat however many are written.
struct JournalBatches {
    let directory: String
    /// How many records may wait before they are appended.
    let limit: Int
    private var waiting: [String: [Record]] = [:]
    private var count = 0

    init(directory: String, limit: Int = 20_000) {
        self.directory = directory
        self.limit = limit
    }

    /// Adds records, each for its writer's journal, appending every journal's waiting records
    /// once `limit` are waiting.
    mutating func add(_ records: [Record]) throws(StorageError) {
        for record in records { waiting[record.writer, default: []].append(record) }
        count += records.count
        if count >= limit { try flush() }
    }

    /// Appends every journal's waiting records (each journal with one write and one fsync).
    mutating func flush() throws(StorageError) {
        for (writer, records) in waiting.sorted(by: { $0.key < $1.key }) where !records.isEmpty {
            try Store(directory: directory, writer: writer).append(records: records)
        }
        waiting = [:]
        count = 0
    }
}
