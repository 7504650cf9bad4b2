using System.Diagnostics;
using System.Text.Json.Nodes;
using PuppeteerSharp;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Tests.Netns;
using RingRift.P2P.Node.Tests.Orchestration;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (the system's Chromium) against three node processes running the demo
/// jobs: it lists the nodes and the leader, follows a queue change, cancels with the operator's token, marks a
/// follower killed with SIGKILL dead within two refreshes of the node knowing it, makes no request anywhere
/// but the node that served it and reports no error. A screenshot goes to the test output folder.
/// It runs in the namespace tests' collection, never beside them: Chromium fails requests in flight with
/// <c>net::ERR_NETWORK_CHANGED</c> when links appear or go on the host, which those tests do.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", SystemBrowser.Category)]
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string Token = "dashboard-test-token";
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ThreeNodes_TheDashboardFollowsTheCluster()
    {
        var env = new Dictionary<string, string>(InProcessCluster.SteadyTimings.ToDictionary(e => e.Key, e => e.Value!))
        {
            ["RINGRIFT_CLUSTER_AUTH_TOKEN"] = Token,
        };
        await using var browser = await SystemBrowser.LaunchAsync(); // first: without a browser the test fails at once
        using var cluster = new JobProcessCluster(3, DemoLoopEndToEndTests.ExampleJobsFile(), env);
        var leader = await cluster.WaitForLeaderAsync();
        // The page is served by a follower, so its reads are relayed; the other follower is the one killed.
        var followers = cluster.Nodes.Where(n => n.NodeId != leader).ToArray();
        var (served, victim) = (followers[0], followers[1]);
        var origin = served.Url + "/";

        var page = await browser.Browser.NewPageAsync();
        var watch = new PageWatch(page);
        await page.GoToAsync(origin + "dashboard?refresh=1");

        try
        {
            await WaitAsync(page, "document.querySelectorAll('#nodes tbody tr[data-node-id]').length === 3", "three node rows");
            await WaitAsync(page, $"document.getElementById('leader').textContent === '{leader}'", $"the leader {leader} named");
            await WaitAsync(page, $"document.querySelector('#nodes tr[data-node-id=\"{leader}\"] .role').textContent === 'leader'", "the leader's row");
            await WaitAsync(page, "document.querySelectorAll('#events li').length > 0", "the leader's events listed");

            // Add work nobody runs: its type appears in the counts by type; cancelling it moves the cancelled count.
            Assert.Equal("0", await TextAsync(page, "#count-cancelled"));
            var added = await Http.PostAsync(origin, "work/add", new JsonObject { ["work_id"] = "dash-probe-1", ["work_type"] = "dashboard_probe" }, Token);
            Assert.Equal(200, added.Status);
            await WaitAsync(page, "document.querySelector('#queue-by-type tr[data-type=\"dashboard_probe\"] td:nth-child(2)')?.textContent === '1'",
                "dashboard_probe pending 1 in the counts by type");
            await WaitAsync(page, "document.querySelector('#queue-unplaced tr[data-type=\"dashboard_probe\"][data-reason=\"no_capable_node\"] td:nth-child(4)')?.textContent === 'dash-probe-1'",
                "dash-probe-1 shown as pending work no live node can run");
            await WaitAsync(page, "document.querySelector('#work-items tr[data-work-id=\"dash-probe-1\"]') !== null", "the new item listed");
            Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('button[data-cancel]').length")); // no token, no actions

            await page.TypeAsync("#token", Token);
            await page.ClickAsync("#token-use");
            // Each click is made in the same evaluation that finds the button: the page redraws the list every
            // refresh, and the demo's work can push the item out of the newest 12 for a moment under load.
            const string ProbeButton = "document.querySelector('button[data-cancel=\"dash-probe-1\"]')";
            await WaitAsync(page, $"(b => b !== null && b.textContent === 'Cancel' && (b.click(), true))({ProbeButton})", "a cancel button once the token is entered, clicked");
            // A first click that has run out (4 s) is made again before the confirming one.
            await WaitAsync(page, $"(b => {{ if (b === null) return false; const confirming = b.textContent === 'Confirm cancel'; b.click(); return confirming; }})({ProbeButton})",
                "the cancel asking to confirm, clicked");
            await WaitAsync(page, "document.getElementById('count-cancelled').textContent === '1'", "the cancelled count at 1");
            Assert.Equal("cancelled", (await Http.GetAsync(origin, "work/dash-probe-1")).Json!["status"]!.GetValue<string>());
            Assert.Contains("Cancelled dash-probe-1", await TextAsync(page, "#action-result"));

            await WaitAsync(page, "[...document.querySelectorAll('#jobs .log-tail')].some(p => p.textContent.length > 0)", "a running job with its log tail");
            await WaitAsync(page, "document.querySelector('#training tr[data-config=\"hex8_2p\"]') !== null", "the hex8_2p training row");

            // kill -9 a follower: once the serving node's membership holds it dead, the page shows it within two refreshes.
            var killedAt = Stopwatch.StartNew();
            victim.Kill();
            await cluster.WaitAsync(() => ProcessCluster.StatusAsync(served),
                s => s?["peers"]?[victim.NodeId]?["alive"]?.GetValue<bool>() == false, $"{served.NodeId} holding {victim.NodeId} dead");
            var knownAt = int.Parse(await page.EvaluateExpressionAsync<string>("document.body.dataset.refreshes"));
            var membershipSeconds = killedAt.Elapsed.TotalSeconds;
            await WaitAsync(page, $"document.querySelector('#nodes tr[data-node-id=\"{victim.NodeId}\"]').classList.contains('down')", $"{victim.NodeId}'s row marked down");
            var shownAt = int.Parse(await page.EvaluateExpressionAsync<string>(
                $"document.querySelector('#nodes tr[data-node-id=\"{victim.NodeId}\"]').dataset.downSinceRefresh"));
            output.WriteLine($"{victim.NodeId} killed; membership held it dead after {membershipSeconds:0.0} s (peer timeout 3 s), " +
                $"at refresh {knownAt}; the page showed it down at refresh {shownAt}, {killedAt.Elapsed.TotalSeconds:0.0} s after the kill");
            Assert.True(shownAt <= knownAt + 2, $"the page marked {victim.NodeId} down at refresh {shownAt}, more than two after {knownAt}");
            Assert.Contains("DOWN", await TextAsync(page, "#node-summary"));

            var elsewhere = watch.Requests.Where(url => !url.StartsWith(origin, StringComparison.Ordinal)).ToArray();
            Assert.True(elsewhere.Length == 0, "the page requested other origins: " + string.Join(", ", elsewhere));
            Assert.Contains(watch.Requests, url => url.StartsWith(origin + "jobs?", StringComparison.Ordinal));
            Assert.True(watch.Errors.Count == 0, "the page reported errors:\n" + string.Join('\n', watch.Errors));
        }
        finally
        {
            var png = Path.Combine(AppContext.BaseDirectory, "dashboard-browser-test.png");
            await page.ScreenshotAsync(png, new ScreenshotOptions { FullPage = true });
            output.WriteLine("screenshot: " + png);
        }
    }

    private static Task<string> TextAsync(IPage page, string selector) =>
        page.EvaluateExpressionAsync<string>($"document.querySelector('{selector.Replace("'", "\\'", StringComparison.Ordinal)}')?.textContent ?? ''");

    private static async Task WaitAsync(IPage page, string condition, string what)
    {
        try
        {
            await Eventually.Until(() => page.EvaluateExpressionAsync<bool>($"!!({condition})"), what, PageWait);
        }
        catch (WaitTimedOutException e)
        {
            var notes = await page.EvaluateExpressionAsync<string>(
                "[...document.querySelectorAll('.warning, [id$=\"-note\"], #connection')].map(n => n.id + ': ' + n.textContent).join('\\n')");
            throw new WaitTimedOutException($"{e.Message}\nthe page says:\n{notes}");
        }
    }
}
