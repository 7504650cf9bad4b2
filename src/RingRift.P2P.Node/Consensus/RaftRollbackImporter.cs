using System.Globalization;
using RingRift.P2P.Coordination;
using RingRift.P2P.Loops;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// Rollback by environment: a node started with Raft disabled that still holds a Raft log hands the
/// work it holds there (pending, claimed or running — the latter as pending again) to the Bully +
/// SQLite queue through the cluster work port, so switching Raft off loses no queued work. An id the
/// SQLite queue already has is skipped, unless that copy is the one moved into Raft
/// (<c>moved_to_raft</c>): the item is then re-added as <c>&lt;work_id&gt;~raft</c>. Every Raft member
/// does this with its own copy (duplicates are refused by id); a marker file records the log index
/// imported so a restart does not repeat it.
/// </summary>
public sealed class RaftRollbackImporter(NodeOptions options, IClusterWork work, TimeProvider time, LoopRegistry loops, ILogger<RaftRollbackImporter> logger)
    : PeriodicService(time, loops, logger)
{
    private IReadOnlyList<WorkItem>? _toImport;
    private long _appliedIndex;
    private bool _done;

    private string RaftDir => Path.Combine(options.DataDir, "raft");
    private string MarkerPath => Path.Combine(RaftDir, "imported-to-sqlite");

    protected override TimeSpan Period => TimeSpan.FromSeconds(2);

    public override string LoopName => "raft_rollback_import";

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

    /// <summary>True when the item is now in the SQLite queue (added now or before); false to try again next pass.</summary>
    private async Task<bool> ImportAsync(WorkItem item, CancellationToken ct)
    {
        try
        {
            if (await AddAsync(item, item.WorkId, ct)) return true;
            if (await work.GetAsync(item.WorkId, ct) is not { } existing) return false;
            if (existing.Item.Result?["moved_to_raft"]?.GetValue<bool>() != true) return true;
            await AddAsync(item, item.WorkId + "~raft", ct);
            return true;
        }
        catch (ApiException e) when (e.Status >= 500)
        {
            return false; // no leader serves the queue right now
        }
    }

    /// <summary>Adds a copy under <paramref name="workId"/>: true when added, false when that id exists.</summary>
    private async Task<bool> AddAsync(WorkItem item, string workId, CancellationToken ct)
    {
        try
        {
            await work.AddAsync(NewWork.CopyOf(item, workId), ct: ct);
            Imported++;
            return true;
        }
        catch (Exception e) when (e is DuplicateWorkException or ApiException { Status: StatusCodes.Status409Conflict })
        {
            return false;
        }
    }
}
