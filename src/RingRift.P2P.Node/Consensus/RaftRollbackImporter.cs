using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// Rollback by environment: a node started with Raft disabled that still holds a Raft log hands the
/// work it holds there (pending, claimed or running — the latter as pending again) to the Bully +
/// SQLite queue through its own work routes, so switching Raft off loses no queued work. An id the
/// SQLite queue already has is skipped, unless that copy is the one moved into Raft
/// (<c>moved_to_raft</c>): the item is then re-added as <c>&lt;work_id&gt;~raft</c>. Every Raft member
/// does this with its own copy (duplicates are refused by id); a marker file records the log index
/// imported so a restart does not repeat it.
/// </summary>
public sealed class RaftRollbackImporter(NodeOptions options, PeerClient client, TimeProvider time, ILogger<RaftRollbackImporter> logger)
    : PeriodicService(time, logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private IReadOnlyList<WorkItem>? _toImport;
    private long _appliedIndex;
    private bool _done;

    private string RaftDir => Path.Combine(options.DataDir, "raft");
    private string MarkerPath => Path.Combine(RaftDir, "imported-to-sqlite");

    protected override TimeSpan Period => TimeSpan.FromSeconds(2);

    /// <summary>Items handed to the SQLite queue since start.</summary>
    public int Imported { get; private set; }

    protected override async Task StepAsync(CancellationToken ct)
    {
        if (_done || options.Config.RaftEnabled || !RaftStateReader.HasState(RaftDir)) return;
        if (_toImport is null)
        {
            var state = await RaftStateReader.ReadCommittedAsync(RaftDir, ct: ct);
            _appliedIndex = state?.LastAppliedIndex ?? 0;
            if (state is null || ImportedUpTo() >= _appliedIndex) { _done = true; return; }
            _toImport = state.Unfinished();
        }
        var left = new List<WorkItem>();
        foreach (var item in _toImport)
        {
            if (!await ImportAsync(item, ct)) left.Add(item);
        }
        _toImport = left;
        if (left.Count > 0) return;
        await File.WriteAllTextAsync(MarkerPath, _appliedIndex.ToString(CultureInfo.InvariantCulture), ct);
        _done = true;
        if (Imported > 0) logger.RolledBackFromRaft(Imported, _appliedIndex);
    }

    private long ImportedUpTo() =>
        File.Exists(MarkerPath) && long.TryParse(File.ReadAllText(MarkerPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;

    /// <summary>True when the item is now in the SQLite queue (added now or before).</summary>
    private async Task<bool> ImportAsync(WorkItem item, CancellationToken ct)
    {
        var added = await AddAsync(item, item.WorkId, ct);
        if (added != HttpStatusCode.Conflict) return added == HttpStatusCode.OK;
        var existing = await SendAsync(HttpMethod.Get, "work/" + Uri.EscapeDataString(item.WorkId), null, ct);
        if (existing.Status != HttpStatusCode.OK) return false;
        if (existing.Json?["result"]?["moved_to_raft"]?.GetValue<bool>() != true) return true;
        var again = await AddAsync(item, item.WorkId + "~raft", ct);
        return again is HttpStatusCode.OK or HttpStatusCode.Conflict;
    }

    private async Task<HttpStatusCode> AddAsync(WorkItem item, string workId, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["work_id"] = workId,
            ["work_type"] = System.Text.Json.JsonSerializer.SerializeToNode(item.WorkType, P2PJson.Options),
            ["priority"] = item.Priority,
            ["config"] = item.Config.DeepClone(),
            ["max_attempts"] = item.MaxAttempts,
            ["timeout_seconds"] = item.TimeoutSeconds,
        };
        var answer = await SendAsync(HttpMethod.Post, "work/add", body, ct);
        if (answer.Status == HttpStatusCode.OK) Imported++;
        return answer.Status;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Json)> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var bound = NodeServices.SwimBindAddress(options.BindHost); // the HTTP bind address as an IP literal
        var host = bound == "0.0.0.0" ? "127.0.0.1" : bound;
        using var request = new HttpRequestMessage(method, new Uri($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{options.Port}/{path}"));
        if (body is not null) request.Content = new StringContent(body.ToJsonString(P2PJson.Options), Encoding.UTF8, "application/json");
        client.Token.Apply(request);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(CallTimeout);
        try
        {
            using var response = await client.Http.SendAsync(request, cts.Token);
            var text = await response.Content.ReadAsStringAsync(cts.Token);
            JsonNode? json = null;
            try { json = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (System.Text.Json.JsonException) { }
            return (response.StatusCode, json);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return (HttpStatusCode.ServiceUnavailable, null);
        }
    }
}
