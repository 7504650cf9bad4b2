using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;
using RingRift.P2P.Testing.Waiting;
using Xunit;

namespace RingRift.P2P.Testing.History;

/// <summary>
/// The queue's final items after a history run, for the checker: read from the leader one status at a
/// time (one list call returns at most <see cref="ListLimit"/>, newest first: a single call on a long run
/// would drop the oldest items and the checker would report their adds as lost), and whole reads repeat
/// until two in a row agree (an item can change status between two calls, as a timed-out claim going
/// back to pending). A status holding the limit or more fails the read instead of checking a part, unless
/// the caller passes every work id it asked to add: then the ids the capped listings left out are read one
/// at a time (a soak run holds far more than the limit). A leader deposed between finding it and the read
/// answers 503: the read is tried again.
/// </summary>
public static class FinalQueue
{
    /// <summary>The most items one list call returns (<c>GET /work?limit=</c>).</summary>
    public const int ListLimit = 10_000;

    // Never through an HTTP proxy: nodes may be at namespace addresses only this machine routes.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>How many single-item reads run at once when capped listings left ids out.</summary>
    private const int ParallelItemReads = 16;

    /// <param name="leaderUrl">Finds the leader now (waiting for one) and returns its base URL.</param>
    /// <param name="wait">Bound of the wait for each status's listing.</param>
    public static Task<IReadOnlyList<WorkItem>> ReadAsync(Func<Task<string>> leaderUrl, TimeSpan wait) => ReadAsync(leaderUrl, wait, null);

    /// <param name="leaderUrl">Finds the leader now (waiting for one) and returns its base URL.</param>
    /// <param name="wait">Bound of the wait for each status's listing (and each single-item read).</param>
    /// <param name="addedIds">
    /// Every work id the run asked to add, whatever the answer; null: a status holding <see cref="ListLimit"/>
    /// items or more fails the read. Given, such a status is no failure: each id missing from the listings is
    /// read with <c>GET /work/{id}</c> (404: not in the queue). A finished item read that way (completed, failed,
    /// cancelled) cannot change, so it is not read again by the later whole reads.
    /// </param>
    public static async Task<IReadOnlyList<WorkItem>> ReadAsync(Func<Task<string>> leaderUrl, TimeSpan wait, IReadOnlyCollection<string>? addedIds)
    {
        var finished = new Dictionary<string, WorkItem>(StringComparer.Ordinal);
        var previous = await ReadEveryStatusAsync(leaderUrl, wait, addedIds, finished);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var next = await ReadEveryStatusAsync(leaderUrl, wait, addedIds, finished);
            if (Fingerprint(next).SetEquals(Fingerprint(previous))) return next;
            previous = next;
        }
        throw new InvalidOperationException("the leader's items kept changing over 10 whole reads after the workload stopped");
    }

    private static HashSet<(string, WorkStatus, long)> Fingerprint(IEnumerable<WorkItem> items) =>
        items.Select(i => (i.WorkId, i.Status, i.Version)).ToHashSet();

    private static async Task<List<WorkItem>> ReadEveryStatusAsync(Func<Task<string>> leaderUrl, TimeSpan wait,
        IReadOnlyCollection<string>? addedIds, Dictionary<string, WorkItem> finished)
    {
        var items = new List<WorkItem>();
        var capped = false;
        foreach (var status in Enum.GetValues<WorkStatus>())
        {
            var name = JsonSerializer.SerializeToNode(status, P2PJson.Options)!.GetValue<string>();
            var (code, text) = await Eventually.Until(() => GetAsync(leaderUrl, $"work?status={name}&limit={ListLimit}"),
                answer => answer.Status != 503, $"the leader's list of every {name} item", wait);
            Assert.True(code == 200, $"listing the final {name} items answered {code}: {text}");
            var page = JsonNode.Parse(text)!["items"]!.AsArray().Select(i => i.Deserialize<WorkItem>(P2PJson.Options)!).ToList();
            if (addedIds is null)
                Assert.True(page.Count < ListLimit, $"{page.Count} {name} items: the final read would be cut at {ListLimit}; make the run shorter");
            capped |= page.Count >= ListLimit;
            items.AddRange(page);
        }
        if (!capped || addedIds is null) return items;

        var listed = items.Select(i => i.WorkId).ToHashSet(StringComparer.Ordinal);
        var missing = addedIds.Where(id => !listed.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        var read = new List<WorkItem>();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = ParallelItemReads }, async (id, _) =>
        {
            WorkItem? kept;
            lock (finished)
                finished.TryGetValue(id, out kept);
            var item = kept ?? await ReadOneAsync(leaderUrl, wait, id);
            if (item is null) return;
            lock (read)
                read.Add(item);
            if (kept is null && item.Status is WorkStatus.Completed or WorkStatus.Failed or WorkStatus.Cancelled)
            {
                lock (finished)
                    finished[id] = item;
            }
        });
        items.AddRange(read);
        return items;
    }

    /// <summary>One item from the leader; null when it answers 404 (no such item).</summary>
    private static async Task<WorkItem?> ReadOneAsync(Func<Task<string>> leaderUrl, TimeSpan wait, string id)
    {
        var (code, text) = await Eventually.Until(() => GetAsync(leaderUrl, "work/" + Uri.EscapeDataString(id)),
            answer => answer.Status != 503, $"the leader's item {id}", wait);
        if (code == 404) return null;
        Assert.True(code == 200, $"reading the final item {id} answered {code}: {text}");
        return JsonNode.Parse(text)!.Deserialize<WorkItem>(P2PJson.Options)!;
    }

    private static async Task<(int Status, string Text)> GetAsync(Func<Task<string>> leaderUrl, string path)
    {
        using var response = await Client.GetAsync(new Uri(new Uri(await leaderUrl() + "/"), path));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
