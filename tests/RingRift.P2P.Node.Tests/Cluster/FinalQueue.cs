using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Json;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// The queue's final items after a history run, for the checker: read from the leader one status at a
/// time (one list call returns at most <see cref="ListLimit"/>, newest first: a single call on a long run
/// would drop the oldest items and the checker would report their adds as lost), and whole reads repeat
/// until two in a row agree (an item can change status between two calls, as a timed-out claim going
/// back to pending). A status holding the limit or more fails the read instead of checking a part. A
/// leader deposed between finding it and the read answers 503: the read is tried again.
/// </summary>
public static class FinalQueue
{
    /// <summary>The most items one list call returns (<c>GET /work?limit=</c>).</summary>
    public const int ListLimit = 10_000;

    // Never through an HTTP proxy: nodes may be at namespace addresses only this machine routes.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };

    /// <param name="leaderUrl">Finds the leader now (waiting for one) and returns its base URL.</param>
    /// <param name="wait">Bound of the wait for each status's listing.</param>
    public static async Task<IReadOnlyList<WorkItem>> ReadAsync(Func<Task<string>> leaderUrl, TimeSpan wait)
    {
        var previous = await ReadEveryStatusAsync(leaderUrl, wait);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var next = await ReadEveryStatusAsync(leaderUrl, wait);
            if (Fingerprint(next).SetEquals(Fingerprint(previous))) return next;
            previous = next;
        }
        throw new InvalidOperationException("the leader's items kept changing over 10 whole reads after the workload stopped");
    }

    private static HashSet<(string, WorkStatus, long)> Fingerprint(IEnumerable<WorkItem> items) =>
        items.Select(i => (i.WorkId, i.Status, i.Version)).ToHashSet();

    private static async Task<List<WorkItem>> ReadEveryStatusAsync(Func<Task<string>> leaderUrl, TimeSpan wait)
    {
        var items = new List<WorkItem>();
        foreach (var status in Enum.GetValues<WorkStatus>())
        {
            var name = JsonSerializer.SerializeToNode(status, P2PJson.Options)!.GetValue<string>();
            var (code, text) = await Eventually.Until(() => GetAsync(leaderUrl, $"work?status={name}&limit={ListLimit}"),
                answer => answer.Status != 503, $"the leader's list of every {name} item", wait);
            Assert.True(code == 200, $"listing the final {name} items answered {code}: {text}");
            var page = JsonNode.Parse(text)!["items"]!.AsArray().Select(i => i.Deserialize<WorkItem>(P2PJson.Options)!).ToList();
            Assert.True(page.Count < ListLimit, $"{page.Count} {name} items: the final read would be cut at {ListLimit}; make the run shorter");
            items.AddRange(page);
        }
        return items;
    }

    private static async Task<(int Status, string Text)> GetAsync(Func<Task<string>> leaderUrl, string path)
    {
        using var response = await Client.GetAsync(new Uri(new Uri(await leaderUrl() + "/"), path));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
