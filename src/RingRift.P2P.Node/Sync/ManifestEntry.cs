namespace RingRift.P2P.Node.Sync;

/// <summary>
/// One synced file: <paramref name="Path"/> data-dir relative with '/' separators (e.g.
/// <c>games/hex8_2p/selfplay-1.jsonl</c>), <paramref name="Size"/> in bytes, <paramref name="Sha256"/>
/// lower-case hex of the whole file, <paramref name="Mtime"/> last write in unix seconds.
/// </summary>
public sealed record ManifestEntry(string Path, long Size, string Sha256, long Mtime);

/// <summary>The body of <c>GET /sync/manifest</c>: whose files, which, and their total size in bytes.</summary>
public sealed record SyncManifest(string NodeId, IReadOnlyList<ManifestEntry> Files, long TotalBytes);

/// <summary>A peer to pull from, as the lead maps membership onto it: its id and the base URI of its HTTP API.</summary>
public sealed record SyncPeer(string NodeId, Uri BaseUri);
