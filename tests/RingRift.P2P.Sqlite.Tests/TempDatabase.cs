namespace RingRift.P2P.Sqlite.Tests;

/// <summary>A fresh temporary directory per test, deleted (with every file in it) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "ringrift-sqlite-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Path of the queue file, in a sub-directory that does not exist yet (OpenAsync creates it).</summary>
    public string QueuePath => Path.Combine(Directory, "data", "work_queue.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }
}
