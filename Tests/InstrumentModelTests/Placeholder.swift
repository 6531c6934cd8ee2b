import Testing

@testable import InstrumentModel
