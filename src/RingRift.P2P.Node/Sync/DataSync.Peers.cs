using System.Net.Http.Json;
using System.Text.Json;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Sync;

/// <summary>Pulls driven by peers' manifests: everything under a prefix, or one file by hash.</summary>
public sealed partial class DataSync
{
    /// <summary>
    /// The manifest of <paramref name="peerBaseUri"/> (only under <paramref name="prefix"/> when given), or null
    /// when the peer cannot be reached, answers an error or garbage within <see cref="SyncOptions.ManifestTimeout"/>.
    /// </summary>
    public async Task<SyncManifest?> GetManifestAsync(Uri peerBaseUri, string? prefix, CancellationToken ct = default)
    {
        var query = prefix is null ? "" : "?prefix=" + Uri.EscapeDataString(prefix);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peerBaseUri, "sync/manifest" + query));
        _token.Apply(request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Options.ManifestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                _logger.ManifestUnreadable(peerBaseUri.ToString(), $"answered {(int)response.StatusCode}");
                return null;
            }
            return await response.Content.ReadFromJsonAsync(NodeJson.Contract<SyncManifest>(), deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _logger.ManifestUnreadable(peerBaseUri.ToString(), $"no answer within {Options.ManifestTimeout}");
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException or NotSupportedException)
        {
            _logger.ManifestUnreadable(peerBaseUri.ToString(), ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Pulls every file under <paramref name="prefix"/> (e.g. <c>games/hex8_2p</c>) that some peer's manifest lists
    /// and this node lacks, or holds with a different sha256 and an older mtime (a newer local copy is kept).
    /// When peers disagree about a path, the newest mtime wins. Each file is tried from every peer offering
    /// that hash, in <paramref name="peers"/> order, until one pull verifies. This node's own id is skipped.
    /// </summary>
    /// <exception cref="PathRefusedException"><paramref name="prefix"/> is not under games/ or models/.</exception>
    public async Task<SyncBatchResult> PullMatchingAsync(IReadOnlyList<SyncPeer> peers, string prefix, CancellationToken ct = default)
    {
        var normalized = SyncPath.ValidatePrefix(prefix);
        var manifests = await ManifestsAsync(peers, normalized, ct);
        var local = (await Manifest.ScanAsync(normalized, ct)).ToDictionary(e => e.Path, StringComparer.Ordinal);

        var offers = manifests.Found
            .SelectMany(m => m.Manifest.Files.Where(f => SyncPath.IsUnderPrefix(f.Path, normalized)).Select(f => (m.Peer, Entry: f)))
            .GroupBy(o => o.Entry.Path, StringComparer.Ordinal);
        var pulls = new List<Task<(PullResult? Result, SyncException? Error)>>();
        foreach (var group in offers)
        {
            var wanted = group.Select(o => o.Entry)
                .GroupBy(e => e.Sha256.ToLowerInvariant())
                .Select(g => (Entry: g.MaxBy(e => e.Mtime)!, Count: g.Count()))
                .OrderByDescending(c => c.Entry.Mtime).ThenByDescending(c => c.Count).ThenBy(c => c.Entry.Sha256, StringComparer.Ordinal)
                .First().Entry;
            if (local.TryGetValue(group.Key, out var mine) && (mine.Sha256 == wanted.Sha256.ToLowerInvariant() || mine.Mtime >= wanted.Mtime)) continue;
            var sources = group.Where(o => string.Equals(o.Entry.Sha256, wanted.Sha256, StringComparison.OrdinalIgnoreCase)).Select(o => o.Peer).ToList();
            pulls.Add(TryPullAsync(wanted, sources, ct));
        }
        var outcomes = await Task.WhenAll(pulls);
        return new SyncBatchResult(
            outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToList(),
            outcomes.Where(o => o.Error is not null).Select(o => o.Error!).ToList(),
            manifests.Unreachable);
    }

    /// <summary>
    /// Makes sure this node has <paramref name="path"/> with <paramref name="sha256"/> (e.g. the promoted model):
    /// nothing to do when the local file already has that hash; otherwise pulled from whichever peer lists it
    /// with that hash, trying them in <paramref name="peers"/> order.
    /// </summary>
    /// <exception cref="SyncException">No peer offers it (<see cref="SyncFailure.NotAvailable"/>) or every pull failed (the last failure).</exception>
    public async Task<PullResult> EnsureFileAsync(IReadOnlyList<SyncPeer> peers, string path, string sha256, CancellationToken ct = default)
    {
        try
        {
            SyncPath.ValidateFile(path);
        }
        catch (PathRefusedException ex)
        {
            throw new SyncException(path, SyncFailure.InvalidEntry, ex.Message, ex);
        }
        if (!FileHasher.IsSha256Hex(sha256))
            throw new SyncException(path, SyncFailure.InvalidEntry, $"sha256 for {path} must be 64 hex characters, got '{sha256}'");
        var expected = sha256.ToLowerInvariant();
        if (await Manifest.LocalHashAsync(path, ct) == expected)
            return new PullResult(path, expected, new FileInfo(Manifest.FullPath(path)).Length, PullOutcome.AlreadyPresent, 0, Options.NodeId);

        var manifests = await ManifestsAsync(peers, path, ct);
        var offers = manifests.Found
            .Select(m => (m.Peer, Entry: m.Manifest.Files.FirstOrDefault(f => f.Path == path && string.Equals(f.Sha256, expected, StringComparison.OrdinalIgnoreCase))))
            .Where(o => o.Entry is not null)
            .ToList();
        if (offers.Count == 0)
        {
            throw new SyncException(path, SyncFailure.NotAvailable,
                $"no peer offers {path} with sha256 {expected} (asked {manifests.Found.Count} of {peers.Count} peers" +
                (manifests.Unreachable.Count > 0 ? $"; unreachable: {string.Join(", ", manifests.Unreachable)})" : ")"));
        }

        var (result, error) = await TryPullAsync(offers[0].Entry!, offers.Select(o => o.Peer).ToList(), ct);
        return result ?? throw error!;
    }

    /// <summary>Pulls <paramref name="entry"/> from each source in turn until one verifies; a disk-space refusal stops at once.</summary>
    private async Task<(PullResult? Result, SyncException? Error)> TryPullAsync(ManifestEntry entry, IReadOnlyList<SyncPeer> sources, CancellationToken ct)
    {
        SyncException? last = null;
        foreach (var source in sources)
        {
            try
            {
                return (await PullAsync(source.BaseUri, entry, ct), null);
            }
            catch (SyncException ex)
            {
                last = ex;
                if (ex.Failure is SyncFailure.DiskSpace or SyncFailure.InvalidEntry) break;
            }
        }
        return (null, last ?? new SyncException(entry.Path, SyncFailure.NotAvailable, $"no peer offers {entry.Path}"));
    }

    private async Task<(IReadOnlyList<(SyncPeer Peer, SyncManifest Manifest)> Found, IReadOnlyList<string> Unreachable)> ManifestsAsync(
        IReadOnlyList<SyncPeer> peers, string prefix, CancellationToken ct)
    {
        var others = peers.Where(p => p.NodeId != Options.NodeId).ToList();
        var manifests = await Task.WhenAll(others.Select(p => GetManifestAsync(p.BaseUri, prefix, ct)));
        var found = new List<(SyncPeer, SyncManifest)>();
        var unreachable = new List<string>();
        for (var i = 0; i < others.Count; i++)
        {
            if (manifests[i] is { } m) found.Add((others[i], m));
            else unreachable.Add(others[i].NodeId);
        }
        return (found, unreachable);
    }
}
