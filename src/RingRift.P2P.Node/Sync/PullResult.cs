namespace RingRift.P2P.Node.Sync;

/// <summary>How a pull ended when it did not throw.</summary>
public enum PullOutcome
{
    /// <summary>The file was downloaded (or finished from a <c>.partial</c>), verified and renamed into place.</summary>
    Downloaded = 0,
    /// <summary>A local file with the same sha256 was already at the path; nothing was transferred.</summary>
    AlreadyPresent = 1,
}

/// <summary>
/// A verified file at <paramref name="Path"/>: <paramref name="BytesTransferred"/> over the network from
/// <paramref name="Peer"/> (0 when already present; the remainder only when resumed).
/// </summary>
public sealed record PullResult(string Path, string Sha256, long Size, PullOutcome Outcome, long BytesTransferred, string Peer);

/// <summary>
/// What <see cref="DataSync.PullMatchingAsync"/> did: files pulled or already present, and per-file failures
/// (each a <see cref="SyncException"/> message naming the path); peers whose manifest could not be read are listed.
/// </summary>
public sealed record SyncBatchResult(IReadOnlyList<PullResult> Pulled, IReadOnlyList<SyncException> Failures, IReadOnlyList<string> UnreachablePeers)
{
    public bool Succeeded => Failures.Count == 0;
}
