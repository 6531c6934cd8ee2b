import Support

/// One journal as the store's fingerprint takes it: what a figure learned from the whole store
/// was learned from, so that a later command can tell how the journals have changed since.
package struct JournalState: Sendable, Hashable, Codable {
    package var name: String
    package var device: UInt64
    package var inode: UInt64
    package var size: Int
    /// The hash of the journal's first bytes and of those just before `size`, as the summary
    /// cache takes it; 0, with device and inode 0, for a journal that could not be read.
    package var endHash: UInt64

    /// Whether the journal could be read when the state was taken.
    var wasRead: Bool { device != 0 || inode != 0 || size != 0 || endHash != 0 }

    init(name: String, device: UInt64, inode: UInt64, size: Int, endHash: UInt64) {
        (self.name, self.device, self.inode, self.size, self.endHash) = (name, device, inode, size, endHash)
    }

    /// Reads a state saved with a derived figure; a size no file can have (below zero) is refused,
    /// so a damaged save is taken for no save rather than read past.
    package init(from decoder: any Decoder) throws {
        enum Key: String, CodingKey { case name, device, inode, size, endHash }
        let container = try decoder.container(keyedBy: Key.self)
        let size = try container.decode(Int.self, forKey: .size)
        guard size >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .size, in: container, debugDescription: "a journal's size below zero")
        }
        self.init(
            name: try container.decode(String.self, forKey: .name),
            device: try container.decode(UInt64.self, forKey: .device),
            inode: try container.decode(UInt64.self, forKey: .inode), size: size,
            endHash: try container.decode(UInt64.self, forKey: .endHash))
    }
}

extension Store {
    /// The journals as they are now, in the order `readSummaries` reads them, and the fingerprint
    /// they make: the one `readSummaries` gives while nothing is written in between.
    package func journalStates() throws(SystemError) -> (states: [JournalState], fingerprint: UInt64) {
        var fingerprint = Fingerprint()
        var states: [JournalState] = []
        for name in try journalFiles() {
            guard let file = try? FileDescriptor.openForReading(journalsPath + "/" + name),
                let size = try? file.size(), let identity = try? file.identity(),
                let endHash = try? SummaryCache.tailHash(file, covered: size)
            else {
                fingerprint.add(name, identity: nil, size: 0, endHash: 0)
                states.append(JournalState(name: name, device: 0, inode: 0, size: 0, endHash: 0))
                continue
            }
            fingerprint.add(name, identity: identity, size: size, endHash: endHash)
            states.append(
                JournalState(
                    name: name, device: identity.device, inode: identity.inode, size: size, endHash: endHash))
        }
        return (states, fingerprint.value)
    }

    /// Returns how many bytes were appended to the journals since they were as `states` says,
    /// journals begun since counted whole; nil when any of them changed otherwise.
    ///
    /// A journal has only grown when it is the same file (device and inode), at least as long,
    /// and its first bytes and those just before its old end hash as they did: the test the
    /// summary cache passes before it trusts what it read of a journal. A journal gone, replaced
    /// (a repair, an erasure, a synced copy written anew), shorter or unreadable is a change.
    package func bytesAppended(since states: [JournalState]) -> Int? {
        guard let names = try? journalFiles() else { return nil }
        let journals = Set(names)
        var appended = 0
        for state in states {
            guard state.wasRead, journals.contains(state.name),
                let file = try? FileDescriptor.openForReading(journalsPath + "/" + state.name),
                let size = try? file.size(), let identity = try? file.identity(),
                Self.hasOnlyGrown(
                    file, identity: identity, size: size,
                    since: FileIdentity(device: state.device, inode: state.inode), covered: state.size,
                    tailHash: state.endHash)
            else { return nil }
            appended += size - state.size
        }
        let known = Set(states.map(\.name))
        for name in journals.subtracting(known).sorted() {
            guard let file = try? FileDescriptor.openForReading(journalsPath + "/" + name),
                let size = try? file.size()
            else { return nil }
            appended += size
        }
        return appended
    }

    /// Whether the journal open as `file` (of `identity`, now `size` bytes long) has only grown
    /// since it was `covered` bytes long: the same file (`earlier` identity), at least that long,
    /// and its first bytes and those just before `covered` hashing to `tailHash` as they did. The
    /// one test the summary cache and saved figures pass before they trust what was read of a
    /// journal; a repair, an erasure or a synced copy written anew is a new file.
    static func hasOnlyGrown(
        _ file: FileDescriptor, identity: FileIdentity, size: Int, since earlier: FileIdentity, covered: Int,
        tailHash: UInt64
    ) -> Bool {
        identity == earlier && covered <= size
            && (try? SummaryCache.tailHash(file, covered: covered)) == tailHash
    }
}
