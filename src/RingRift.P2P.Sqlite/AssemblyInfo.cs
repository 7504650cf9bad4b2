using System.Runtime.CompilerServices;

// The SQLite tests inspect query plans and raw PRAGMAs through internal members.
[assembly: InternalsVisibleTo("RingRift.P2P.Sqlite.Tests")]
