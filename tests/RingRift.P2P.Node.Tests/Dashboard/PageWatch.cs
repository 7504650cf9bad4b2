using System.Collections.Concurrent;
using PuppeteerSharp;

namespace RingRift.P2P.Node.Tests.Dashboard;

/// <summary>What a page did while it was watched: every request it made and every error it reported.</summary>
public sealed class PageWatch
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _errors = new();

    public PageWatch(IPage page)
    {
        page.Request += (_, e) => _requests.Enqueue(e.Request.Url);
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error) _errors.Enqueue($"console: {e.Message.Text} ({e.Message.Location?.URL})");
        };
        page.PageError += (_, e) => _errors.Enqueue("uncaught: " + e.Message);
        page.RequestFailed += (_, e) => _errors.Enqueue($"request failed: {e.Request.Url} ({e.Request.FailureText})");
    }

    public IReadOnlyList<string> Requests => _requests.ToArray();

    public IReadOnlyList<string> Errors => _errors.ToArray();
}
