import Testing

@testable import Administration
