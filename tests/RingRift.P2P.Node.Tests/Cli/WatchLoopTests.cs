using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary>The --watch refresh loop without real time: a delay function that records and cancels.</summary>
public sealed class WatchLoopTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>A delay that returns at once and records the interval; at the <paramref name="stopAfter"/>-th call it cancels (Ctrl-C).</summary>
    private sealed class FakeDelay(CancellationTokenSource ctrlC, int stopAfter)
    {
        public List<TimeSpan> Waits { get; } = [];

        public Task Delay(TimeSpan interval, CancellationToken ct)
        {
            Waits.Add(interval);
            if (Waits.Count >= stopAfter) ctrlC.Cancel();
            ct.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Fetches_shows_and_waits_the_interval_until_cancelled()
    {
        using var ctrlC = new CancellationTokenSource();
        var delay = new FakeDelay(ctrlC, stopAfter: 3);
        var fetched = 0;
        var shown = new List<WatchFrame<int>>();

        await new WatchLoop(Interval, delay.Delay).RunAsync(_ => Task.FromResult(++fetched), shown.Add, ctrlC.Token);

        Assert.Equal([1, 2, 3], shown.Select(f => f.Data));
        Assert.All(shown, f => Assert.Null(f.Error));
        Assert.Equal([Interval, Interval, Interval], delay.Waits);
    }

    [Fact]
    public async Task A_first_fetch_that_fails_ends_the_watch_with_its_error()
    {
        using var ctrlC = new CancellationTokenSource();
        var delay = new FakeDelay(ctrlC, stopAfter: 5);

        var error = await Assert.ThrowsAsync<CliException>(() => new WatchLoop(Interval, delay.Delay).RunAsync<int>(
            _ => throw new CliException("cannot reach http://127.0.0.1:1/"), _ => { }, ctrlC.Token));

        Assert.Equal("cannot reach http://127.0.0.1:1/", error.Message);
        Assert.Empty(delay.Waits);
    }

    [Fact]
    public async Task A_later_failure_shows_the_last_data_with_the_error_and_the_loop_goes_on()
    {
        using var ctrlC = new CancellationTokenSource();
        var delay = new FakeDelay(ctrlC, stopAfter: 4);
        var answers = new Queue<Func<int>>([() => 1, () => throw new CliException("timed out"), () => throw new CliException("timed out again"), () => 4]);
        var shown = new List<WatchFrame<int>>();

        await new WatchLoop(Interval, delay.Delay).RunAsync(_ => Task.FromResult(answers.Dequeue()()), shown.Add, ctrlC.Token);

        Assert.Equal([new WatchFrame<int>(1, null), new(1, "timed out"), new(1, "timed out again"), new(4, null)], shown);
    }

    [Fact]
    public async Task Ctrl_C_during_a_fetch_ends_the_watch_quietly()
    {
        using var ctrlC = new CancellationTokenSource();
        var delay = new FakeDelay(ctrlC, stopAfter: 10);
        var shown = 0;

        await new WatchLoop(Interval, delay.Delay).RunAsync<int>(ct =>
        {
            ctrlC.Cancel();
            ct.ThrowIfCancellationRequested();
            return Task.FromResult(0);
        }, _ => shown++, ctrlC.Token);

        Assert.Equal(0, shown);
        Assert.Empty(delay.Waits);
    }

    [Fact]
    public void A_frame_shows_when_and_how_often_and_a_failed_refresh()
    {
        var view = new ViewCommand<string>
        {
            Name = "x",
            Description = "x",
            JsonDescription = "x",
            Fetch = _ => Task.FromResult(""),
            Json = _ => null,
            Render = (data, _) => new Spectre.Console.Text(data),
        };

        var lines = Recorded.Render(view.Frame(new WatchFrame<string>("the view", "GET status failed: 503"), TimeSpan.FromSeconds(2.5), Recorded.Context));

        Assert.Equal(["12:43:25, every 2.5 s; Ctrl-C stops", "refresh failed, showing the last answer: GET status failed: 503", "the view"], lines);
    }
}
