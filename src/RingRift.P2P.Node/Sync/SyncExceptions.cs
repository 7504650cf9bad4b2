namespace RingRift.P2P.Node.Sync;

/// <summary>Why a pull failed.</summary>
public enum SyncFailure
{
    /// <summary>The transfer broke or the peer answered an error; the <c>.partial</c> is kept for a resume.</summary>
    Transfer = 0,
    /// <summary>The downloaded bytes do not hash to the expected sha256; the <c>.partial</c> was deleted.</summary>
    Integrity = 1,
    /// <summary>The file would not fit on the data dir's drive with the reserve left free.</summary>
    DiskSpace = 2,
    /// <summary>No alive peer offers the file (with that hash).</summary>
    NotAvailable = 3,
    /// <summary>The entry itself is unacceptable (path refused, bad hash text, negative size).</summary>
    InvalidEntry = 4,
}

/// <summary>A pull that did not produce the verified file; the message names the path and the cause.</summary>
public sealed class SyncException(string path, SyncFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string FilePath { get; } = path;
    public SyncFailure Failure { get; } = failure;
}

/// <summary>A requested sync path that is not a plain file under games/ or models/ of the data dir; the message names it.</summary>
public sealed class PathRefusedException(string path, string reason)
    : Exception($"path '{path}' refused: {reason}")
{
    public string RequestedPath { get; } = path;
    public string Reason { get; } = reason;
}
