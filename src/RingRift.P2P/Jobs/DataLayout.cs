namespace RingRift.P2P.Jobs;

/// <summary>
/// Where job data lives under a node's data dir, as data-dir relative paths with '/' separators
/// (the form used in job results, manifests and <c>/sync/file?path=</c>):
/// <c>games/&lt;config&gt;/…</c> for self-play output, <c>models/&lt;config&gt;/…</c> for trained models.
/// </summary>
public static class DataLayout
{
    public const string GamesRoot = "games";
    public const string ModelsRoot = "models";

    /// <summary>The roots data sync publishes; nothing outside them is served.</summary>
    public static readonly IReadOnlyList<string> SyncedRoots = [GamesRoot, ModelsRoot];

    public static string GamesDir(BoardConfig config) => $"{GamesRoot}/{config.Key}";

    public static string ModelsDir(BoardConfig config) => $"{ModelsRoot}/{config.Key}";
}
