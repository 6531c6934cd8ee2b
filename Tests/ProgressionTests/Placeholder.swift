import Testing

@testable import Progression
