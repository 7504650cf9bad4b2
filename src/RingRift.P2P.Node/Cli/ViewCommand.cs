using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// A read-only view of the cluster (status, peers, jobs, training, events): <c>--url</c>, <c>--json</c>
/// (the API's JSON) and <c>--watch [seconds]</c>. One call fetches <typeparamref name="T"/>; it is printed
/// as JSON or rendered as tables. <see cref="Problems"/> lists what could not be fetched beside the data
/// (printed on stderr, exit code 1).
/// </summary>
public sealed class ViewCommand<T>
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required string JsonDescription { get; init; }
    public required Func<ViewFetch, Task<T>> Fetch { get; init; }
    public required Func<T, JsonNode?> Json { get; init; }
    public required Func<T, ViewContext, IRenderable> Render { get; init; }
    public Func<T, IReadOnlyList<string>> Problems { get; init; } = _ => [];
    public IReadOnlyList<Option> Options { get; init; } = [];

    public Command Create()
    {
        var url = CliApp.UrlOption();
        var json = new Option<bool>("--json") { Description = JsonDescription };
        var watch = WatchOption.Create();
        var command = new Command(Name, Description) { url, json, watch };
        foreach (var option in Options) command.Add(option);
        command.SetAction((parse, ct) => CliApp.Guard(parse, async () =>
        {
            var output = CliOutput.Of(parse);
            using var client = new NodeApiClient(parse.GetValue(url)!, CliApp.Token());
            Task<T> FetchAsync(CancellationToken c) => Fetch(new ViewFetch(client, parse, c));
            if (parse.GetValue(watch) is { } seconds)
            {
                var loop = new WatchLoop(TimeSpan.FromSeconds(seconds));
                await (parse.GetValue(json) ? WatchJsonAsync(loop, FetchAsync, output, ct) : WatchTablesAsync(loop, FetchAsync, output, ct));
                return 0;
            }
            var data = await FetchAsync(ct);
            if (parse.GetValue(json)) await output.Out.WriteLineAsync(JsonOut.Text(Json(data), indented: true));
            else output.Console.Write(Render(data, ViewContext.From(TimeProvider.System)));
            var problems = Problems(data);
            foreach (var problem in problems) await output.Error.WriteLineAsync($"ringrift-p2p: {problem}");
            return problems.Count == 0 ? 0 : CliApp.FailedCall;
        }));
        return command;
    }

    /// <summary>The frame shown on each refresh: when, how often, a failed refresh's error, then the view.</summary>
    public IRenderable Frame(WatchFrame<T> frame, TimeSpan interval, ViewContext context)
    {
        var every = interval.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        var parts = new List<IRenderable> { new Markup($"[grey]{CliTime.Clock(context.Now, context.Zone)}, every {every} s; Ctrl-C stops[/]") };
        if (frame.Error is { } error) parts.Add(new Markup($"[red]refresh failed, showing the last answer: {Markup.Escape(error)}[/]"));
        parts.Add(Render(frame.Data, context));
        return new Rows(parts);
    }

    private Task WatchJsonAsync(WatchLoop loop, Func<CancellationToken, Task<T>> fetch, CliOutput output, CancellationToken ct) =>
        loop.RunAsync(fetch, frame =>
        {
            if (frame.Error is { } error) output.Error.WriteLine($"ringrift-p2p: {error}");
            else output.Out.WriteLine(JsonOut.Text(Json(frame.Data), indented: false));
        }, ct);

    private async Task WatchTablesAsync(WatchLoop loop, Func<CancellationToken, Task<T>> fetch, CliOutput output, CancellationToken ct)
    {
        IRenderable Show(WatchFrame<T> frame) => Frame(frame, loop.Interval, ViewContext.From(TimeProvider.System));
        if (!output.Console.Profile.Capabilities.Ansi)
        {
            // Not a terminal: one frame after another.
            await loop.RunAsync(fetch, frame => { output.Console.Write(Show(frame)); output.Console.WriteLine(); }, ct);
            return;
        }
        await output.Console.Live(new Text("")).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).Cropping(VerticalOverflowCropping.Bottom)
            .StartAsync(ctx => loop.RunAsync(fetch, frame => { ctx.UpdateTarget(Show(frame)); ctx.Refresh(); }, ct));
    }
}

/// <summary>What a view's fetch gets: a client of the node asked, the parsed arguments, Ctrl-C.</summary>
public sealed record ViewFetch(NodeApiClient Client, ParseResult Parse, CancellationToken Ct);
