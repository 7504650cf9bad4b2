namespace RingRift.P2P.Storage;

/// <summary>
/// Whether the data dir's filesystem is full, as <c>/status</c> and <c>/health</c> show it.
/// </summary>
/// <param name="Full">True from the first write that failed for lack of space until space returned.</param>
/// <param name="Path">The file or directory whose write failed first (null while not full).</param>
/// <param name="Since">When the filesystem was found full (null while not full).</param>
/// <param name="Error">The first failure's message, naming the path and the filesystem (null while not full).</param>
/// <param name="RefusedWrites">Writes refused for lack of space since the node started.</param>
public sealed record StorageState(bool Full, string? Path, DateTimeOffset? Since, string? Error, long RefusedWrites)
{
    /// <summary>Not full, nothing refused.</summary>
    public static StorageState Ok { get; } = new(false, null, null, null, 0);
}
