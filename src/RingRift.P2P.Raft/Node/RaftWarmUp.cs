using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// Runs, before a member joins its real group, everything a member does when its leader dies: a
/// throwaway group of three members inside this process elects a leader, takes work through it
/// (adds, concurrent claims, a fenced start and complete, a read on a follower), loses that leader,
/// elects another (pre-vote, vote, the new leader's barrier entry and the refused first append that
/// precedes it) and claims on the new one. A process that has never led otherwise compiles these
/// paths (DotNext's and ours) on its first real election, which measured 100–300 ms of a failover on
/// a busy 2-core host (raft-failover bench); a warm process confirms its leadership in a few ms.
/// The group listens on 127.0.0.1 ports the OS hands out, keeps its logs in a fresh folder under the
/// system temp folder (deleted afterwards) and never touches the real data folder or Raft port.
/// It gives up, without failing the caller, when anything goes wrong or <c>budget</c> runs out.
/// </summary>
public static class RaftWarmUp
{
    /// <summary>Election timeout of the throwaway group: 50–100 ms, so it elects quickly.</summary>
    public const int ElectionTimeoutMs = 50;

    /// <summary>Default time allowed for the whole warm-up: 10 s.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(10);

    private const int Members = 3;
    private const string FolderPrefix = "rr-raft-warmup-";
    private const int Items = 16;

    /// <summary>
    /// Runs the warm-up group to the end (or until <paramref name="budget"/>, <see cref="DefaultBudget"/> when
    /// null, runs out) and reports what it did; never throws except on <paramref name="ct"/>.
    /// </summary>
    public static Task<RaftWarmUpResult> RunAsync(TimeSpan? budget = null, ILogger? logger = null, CancellationToken ct = default) =>
        RunAsync(budget, logger, FreeLoopbackEndPoints, ct);

    /// <summary><see cref="RunAsync(TimeSpan?, ILogger?, CancellationToken)"/> with the members' endpoints from <paramref name="pickEndPoints"/> (tests).</summary>
    internal static async Task<RaftWarmUpResult> RunAsync(TimeSpan? budget, ILogger? logger, Func<int, IPEndPoint[]> pickEndPoints, CancellationToken ct)
    {
        var allowed = budget ?? DefaultBudget;
        if (allowed <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(budget), allowed, $"raft warm-up budget must be positive, got {allowed.TotalMilliseconds} ms");
        logger ??= NullLogger.Instance;
        var started = Stopwatch.GetTimestamp();
        RemoveLeftovers();
        var root = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
        var nodes = new RaftNode?[Members];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(allowed);
        var elections = 0;
        string? error = null;
        try
        {
            await StartGroupAsync(nodes, root, pickEndPoints, limit.Token).ConfigureAwait(false);

            var leader = await AgreedLeaderAsync(nodes, limit.Token).ConfigureAwait(false);
            elections++;
            leader = await ExerciseThroughLeaderChangesAsync(nodes, leader, "a", limit.Token).ConfigureAwait(false);

            var index = Array.IndexOf(nodes, leader);
            nodes[index] = null;
            await leader.DisposeAsync().ConfigureAwait(false);
            var next = await AgreedLeaderAsync(nodes, limit.Token).ConfigureAwait(false);
            elections++;
            await ExerciseThroughLeaderChangesAsync(nodes, next, "b", limit.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (!ct.IsCancellationRequested)
        {
            error = limit.IsCancellationRequested
                ? $"did not finish within {allowed.TotalMilliseconds:0} ms"
                : $"{failure.GetType().Name}: {failure.Message}";
        }
        finally
        {
            foreach (var node in nodes)
            {
                if (node is not null)
                {
                    try { await node.DisposeAsync().ConfigureAwait(false); }
                    catch (Exception) { /* a throwaway member that fails to stop leaves nothing that matters behind */ }
                }
            }

            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        var result = new RaftWarmUpResult(error is null, Stopwatch.GetElapsedTime(started), elections, error);
        if (result.Completed) logger.WarmedUp(result.Elapsed.TotalMilliseconds, elections);
        else logger.WarmUpAbandoned(result.Elapsed.TotalMilliseconds, error!);
        return result;
    }

    /// <summary>
    /// <see cref="ExerciseAsync"/>, done again on whichever member leads when leadership moves meanwhile
    /// (a busy host can cost the throwaway group's 50 ms lease); command ids are fixed per round, so a
    /// repeated call applies once. Returns the member that served the last attempt.
    /// </summary>
    private static async Task<RaftNode> ExerciseThroughLeaderChangesAsync(RaftNode?[] nodes, RaftNode leader, string round, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await ExerciseAsync(nodes, leader, round, ct).ConfigureAwait(false);
                return leader;
            }
            catch (Exception moved) when (moved is NotRaftLeaderException or RaftCommitUnknownException or RaftReadUnavailableException)
            {
                leader = await AgreedLeaderAsync(nodes, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The work calls a leader serves under failover: concurrent adds and claims, a fenced start and complete, reads.</summary>
    private static async Task ExerciseAsync(RaftNode?[] nodes, RaftNode leader, string round, CancellationToken ct)
    {
        var queue = new ReplicatedWorkQueue(leader);
        await Task.WhenAll(Enumerable.Range(0, Items).Select(i => queue.AddWorkAsync(
            new NewWork { WorkId = $"{round}{i}", WorkType = JobType.Selfplay }, $"add-{round}{i}", ct))).ConfigureAwait(false);
        var claims = await Task.WhenAll(Enumerable.Range(0, Items / 2).Select(i =>
            queue.ClaimNextFencedAsync("warm-up", null, $"claim-{round}{i}", ct))).ConfigureAwait(false);
        var first = await queue.ClaimNextFencedAsync("warm-up", null, null, ct).ConfigureAwait(false);
        if (first.Item is { } item && first.Token is { } token)
        {
            await queue.StartWorkAsync(item.WorkId, "warm-up", token, null, ct).ConfigureAwait(false);
            await queue.CompleteWorkAsync(item.WorkId, null, "warm-up", token, null, ct).ConfigureAwait(false);
        }
        await queue.GetQueueStatsAsync(ct).ConfigureAwait(false);
        if (nodes.FirstOrDefault(n => n is not null && n != leader) is { } follower)
            await new ReplicatedWorkQueue(follower).GetWorkAsync(claims[0].Item?.WorkId ?? $"{round}0", ct).ConfigureAwait(false);
    }

    /// <summary>The member every running member names as leader, once it has confirmed its leadership.</summary>
    private static async Task<RaftNode> AgreedLeaderAsync(RaftNode?[] nodes, CancellationToken ct)
    {
        while (true)
        {
            var running = nodes.OfType<RaftNode>().ToList();
            if (running.Where(n => n.IsLeader).ToList() is [var leader] && running.All(n => n.LeaderId == leader.NodeId && n.IsReady))
                return leader;
            await Task.Delay(5, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the folders of warm-ups whose process is gone (one killed mid-warm-up cannot delete its
    /// own). Folders are named <c>rr-raft-warmup-&lt;pid&gt;-&lt;random&gt;</c>; a running pid's are left alone.
    /// </summary>
    private static void RemoveLeftovers()
    {
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
            {
                var rest = Path.GetFileName(dir)[FolderPrefix.Length..];
                var dash = rest.IndexOf('-');
                if (dash <= 0 || !int.TryParse(rest[..dash], out var pid) || IsRunning(pid)) continue;
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; } // no such process
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>
    /// Starts the throwaway members on ports that were free a moment ago. Another process can take such a
    /// port before a member binds it (an outgoing connection's ephemeral port, say), so a start that meets
    /// "address in use" is done again on fresh ports, up to three times in all.
    /// </summary>
    private static async Task StartGroupAsync(RaftNode?[] nodes, string root, Func<int, IPEndPoint[]> pickEndPoints, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var endPoints = pickEndPoints(Members);
            var folder = Path.Combine(root, $"try{attempt}");
            try
            {
                await Task.WhenAll(Enumerable.Range(0, Members).Select(async i => nodes[i] = await RaftNode.StartAsync(new RaftNodeOptions
                {
                    NodeId = $"warm-up-{i + 1}",
                    PublicEndPoint = endPoints[i],
                    Members = endPoints,
                    DataDir = Path.Combine(folder, $"m{i + 1}"),
                }.WithElectionTimeout(ElectionTimeoutMs), ct).ConfigureAwait(false))).ConfigureAwait(false);
                return;
            }
            catch (Exception failure) when (attempt < 3 && IsAddressInUse(failure))
            {
                for (var i = 0; i < nodes.Length; i++)
                {
                    if (nodes[i] is { } started)
                    {
                        try { await started.DisposeAsync().ConfigureAwait(false); }
                        catch (Exception) { /* a throwaway member that fails to stop leaves nothing that matters behind */ }
                    }

                    nodes[i] = null;
                }
            }
        }
    }

    private static bool IsAddressInUse(Exception? failure)
    {
        for (; failure is not null; failure = failure.InnerException)
            if (failure is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
        return false;
    }

    private static IPEndPoint[] FreeLoopbackEndPoints(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start(); // held together, so the ports differ
            return listeners.Select(l => (IPEndPoint)l.LocalEndpoint).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}

/// <summary>What <see cref="RaftWarmUp.RunAsync"/> did.</summary>
/// <param name="Completed">Every step ran (two elections with work on each leader).</param>
/// <param name="Elapsed">Wall time of the warm-up.</param>
/// <param name="Elections">Leaders the throwaway group agreed on (2 when completed).</param>
/// <param name="Error">Why it stopped early; null when completed.</param>
public sealed record RaftWarmUpResult(bool Completed, TimeSpan Elapsed, int Elections, string? Error);
