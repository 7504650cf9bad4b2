using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Testing.History;

/// <summary>
/// Clients that add, claim, complete and fail work over HTTP against random live nodes (any node serves
/// or forwards to the leader), recording every request in a <see cref="WorkHistory"/> for the
/// Jepsen-style checker. 200 → ok; 400/404/409 and 503s that prove nothing was submitted (NO_LEADER,
/// NOT_LEADER, NOT_READY) → refused; anything else (timeouts, lost connections, LEADER_UNREACHABLE,
/// COMMIT_UNKNOWN, QUORUM_UNREACHABLE) → unknown, retried with the same command id.
/// </summary>
/// <remarks>
/// <paramref name="queue"/> says which queue serves, since they prove a claim differently. Raft
/// issues a fencing token per claim and dedups command ids; the transitions send the token. The
/// quorum SQLite queue (Bully, the default mode) issues no token and ignores command ids; its
/// transitions send the claimant's node id, and the history records for each claim the token
/// "attempts.version" read from the claimed item: attempts rise with every claim of an item and the
/// version with every change, so a later claim orders after an earlier one and two leaders handing
/// out the same attempt of one item show as two claims of one item without a release between them.
/// </remarks>
public sealed class HistoryWorkload(Func<IReadOnlyList<string>> liveUrls, int seed, HistoryWorkload.QueueKind queue = HistoryWorkload.QueueKind.Raft)
{
    /// <summary>Which queue serves the work API.</summary>
    public enum QueueKind
    {
        /// <summary>Raft's replicated queue: fencing tokens, command ids.</summary>
        Raft,

        /// <summary>Bully's quorum-replicated SQLite queue: no tokens, the claimant's node id as proof.</summary>
        QuorumSqlite,
    }

    // Never through an HTTP proxy: nodes may be at namespace addresses only this machine routes.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(3) };
    private static readonly HashSet<string> NothingSubmitted = ["NO_LEADER", "NOT_LEADER", "NOT_READY"];

    public WorkHistory History { get; } = new();

    /// <summary>Successful claim answers whose fencing token term is above <see cref="TermFloor"/>: set by a test to spot the first commit after a kill.</summary>
    public long TermFloor { get; set; } = long.MaxValue;

    /// <summary>Stopwatch ticks of the first ok claim whose token's term is above <see cref="TermFloor"/>.</summary>
    public long? FirstClaimAboveFloor { get; private set; }

    private int _runs;
    private int _untokenedClaims;

    /// <summary>Claims answered without a fencing token while Raft should serve (the SQLite queue served them): 0 while Raft serves.</summary>
    public int UntokenedClaims => Volatile.Read(ref _untokenedClaims);

    /// <summary>Claims answered with an item and a fencing token so far (as the history report counts them).</summary>
    public int OkClaims => History.Operations.Count(o => o.IsOkClaim);

    /// <summary>How long each client waits after each operation (zero: none, the clients run flat out).</summary>
    public TimeSpan Pause { get; init; }

    /// <summary>
    /// The most claims one client holds at once: at the limit a client completes or fails one instead of
    /// claiming another, as a worker with a fixed number of slots does. Unlimited by default (claims then
    /// outnumber releases a little, and held items wait for their timeout), so a long run's queue stays
    /// bounded only with a limit.
    /// </summary>
    public int MaxHeld { get; init; } = int.MaxValue;

    /// <summary>
    /// Percent of a client's operations that add work (35); the rest up to 70 % claim, the others complete or
    /// fail a held claim. Below 35, with <see cref="MaxHeld"/>, claims outrun adds, so the backlog of pending
    /// work stays small instead of growing with the run.
    /// </summary>
    public int AddPercent { get; init; } = 35;

    /// <summary>Completions answered 200 so far.</summary>
    public int OkCompletions => History.Operations.Count(o => o.IsOk && o.Kind == HistoryOpKind.Complete);

    /// <summary>Every work id the clients asked to add, whatever the answer (for <see cref="FinalQueue.ReadAsync(Func{Task{string}}, TimeSpan, IReadOnlyCollection{string}?)"/>).</summary>
    public IReadOnlyList<string> AddedIds => History.Operations.Where(o => o.Kind == HistoryOpKind.Add).Select(o => o.WorkId!).ToList();

    /// <summary>Runs <paramref name="clients"/> client loops until <paramref name="stop"/>; may be called again (new work ids each run).</summary>
    public Task RunAsync(int clients, CancellationToken stop)
    {
        var run = Interlocked.Increment(ref _runs);
        return Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, run, stop))));
    }

    private async Task ClientAsync(int index, int run, CancellationToken stop)
    {
        var name = $"client-{index}";
        var random = new Random(seed * 1000 + run * 100 + index);
        var held = new List<(string WorkId, string Token)>();
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            if (n > 0 && Pause > TimeSpan.Zero) await Delay((int)Pause.TotalMilliseconds, stop);
            var roll = random.Next(100);
            if (roll < AddPercent || (held.Count == 0 && roll >= 70))
            {
                var workId = $"{name}-r{run}-{n++}";
                await CallAsync(name, HistoryOpKind.Add, workId, null, null, random, stop,
                    id => new JsonObject { ["work_id"] = workId, ["work_type"] = "selfplay", ["command_id"] = id }, "work/add");
            }
            else if (roll < 70 && held.Count < MaxHeld)
            {
                var answer = await CallAsync(name, HistoryOpKind.ClaimNext, null, null, null, random, stop, null, "work/claim?node_id=" + name);
                if (answer?["status"]?.GetValue<string>() == "claimed" && TokenOf(answer) is { } claimToken)
                    held.Add((answer["work"]!["work_id"]!.GetValue<string>(), claimToken));
            }
            else
            {
                var (workId, token) = held[random.Next(held.Count)];
                held.RemoveAll(h => h.WorkId == workId);
                if (random.Next(10) == 0)
                {
                    await CallAsync(name, HistoryOpKind.Fail, workId, token, null, random, stop,
                        id => Proof(new JsonObject { ["work_id"] = workId, ["error"] = "test failure", ["command_id"] = id }, name, token), "work/fail");
                }
                else
                {
                    var opId = $"{name}-r{run}-done-{n++}";
                    await CallAsync(name, HistoryOpKind.Complete, workId, token, new JsonObject { ["op"] = opId }, random, stop,
                        id => Proof(new JsonObject { ["work_id"] = workId, ["result"] = new JsonObject { ["op"] = opId }, ["command_id"] = id }, name, token),
                        "work/complete");
                }
            }
        }
    }

    /// <summary>
    /// The token a claim answer proves the claim with: Raft's fencing token (null when the answer has
    /// none), or "attempts.version" of the claimed item on the quorum SQLite queue.
    /// </summary>
    private string? TokenOf(JsonNode claimed)
    {
        if (queue == QueueKind.Raft) return claimed["fencing_token"]?.GetValue<string>();
        var work = claimed["work"]!;
        return $"{work["attempts"]!.GetValue<int>()}.{work["version"]!.GetValue<long>()}";
    }

    /// <summary>Adds the proof of the claim the serving queue checks: Raft's token, else the claimant's node id.</summary>
    private JsonObject Proof(JsonObject body, string client, string token)
    {
        if (queue == QueueKind.Raft) body["fencing_token"] = token;
        else body["node_id"] = client;
        return body;
    }

    /// <summary>Sends one operation (retrying an unknown outcome up to 3 times with the same command id); the answer when ok.</summary>
    private async Task<JsonNode?> CallAsync(string client, HistoryOpKind kind, string? workId, string? token, JsonObject? result,
        Random random, CancellationToken stop, Func<string, JsonObject>? body, string path)
    {
        var commandId = Guid.NewGuid().ToString("N");
        for (var attempt = 0; attempt < 4 && !stop.IsCancellationRequested; attempt++)
        {
            var urls = liveUrls();
            if (urls.Count == 0) { await Delay(100, stop); continue; }
            var url = urls[random.Next(urls.Count)];
            var requestPath = body is null ? $"{path}&command_id={commandId}" : path;
            var handle = History.Invoke(client, kind, workId, token, commandId, result?.DeepClone().AsObject());
            try
            {
                using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri(new Uri(url + "/"), requestPath));
                if (body is not null) request.Content = new StringContent(body(commandId).ToJsonString(), Encoding.UTF8, "application/json");
                using var response = await Client.SendAsync(request, CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var json = text.Length > 0 ? JsonNode.Parse(text) : null;
                var status = (int)response.StatusCode;
                if (status == 200)
                {
                    Record(handle, kind, json);
                    return json;
                }
                var code = json?["code"]?.GetValue<string>() ?? $"HTTP_{status}";
                if (status is 400 or 404 or 409 || (status == 503 && NothingSubmitted.Contains(code)))
                {
                    History.Fail(handle, $"{status} {code}");
                    if (status != 503) return null;
                    await Delay(50, stop);
                    commandId = Guid.NewGuid().ToString("N"); // nothing was submitted: a new attempt is a new command
                    continue;
                }
                History.Unknown(handle, $"{status} {code}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                History.Unknown(handle, e.GetType().Name);
            }
            await Delay(50, stop);
        }
        return null;
    }

    private void Record(HistoryOpHandle handle, HistoryOpKind kind, JsonNode? json)
    {
        if (kind is HistoryOpKind.ClaimNext)
        {
            if (json?["status"]?.GetValue<string>() == "claimed")
            {
                if (TokenOf(json) is not { } token)
                {
                    Interlocked.Increment(ref _untokenedClaims);
                    History.Unknown(handle, "claimed without a fencing token: served by the SQLite queue, not Raft");
                    return;
                }
                History.Ok(handle, json["work"]!["work_id"]!.GetValue<string>(), token);
                if (FirstClaimAboveFloor is null && long.Parse(token.Split('.')[0]) > TermFloor)
                    FirstClaimAboveFloor = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            else
            {
                History.Ok(handle);
            }
            return;
        }
        History.Ok(handle);
    }

    private static async Task Delay(int ms, CancellationToken stop)
    {
        try { await Task.Delay(ms, stop); } catch (OperationCanceledException) { }
    }
}
