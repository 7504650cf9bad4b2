using System.CommandLine;
using System.Text;
using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary>
/// Runs <c>ringrift-p2p</c> in this process with stdout and stderr captured. <see cref="Until"/> stands for
/// the user's Ctrl-C: once stdout holds what it asks for, the command is cancelled (for --watch).
/// </summary>
internal sealed class CapturedOutput : StringWriter
{
    private readonly CancellationTokenSource _ctrlC = new();
    private readonly Func<string, bool>? _until;

    private CapturedOutput(Func<string, bool>? until) => _until = until;

    public static async Task<(int Code, string Out, string Err)> RunAsync(string[] args, Func<string, bool>? until = null)
    {
        using var output = new CapturedOutput(until);
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new InvocationConfiguration { Output = output, Error = error }, output._ctrlC.Token);
        return (code, output.ToString(), error.ToString());
    }

    public override void Write(char value)
    {
        base.Write(value);
        Check();
    }

    public override void Write(string? value)
    {
        base.Write(value);
        Check();
    }

    public override void Write(char[] buffer, int index, int count)
    {
        base.Write(buffer, index, count);
        Check();
    }

    public override Encoding Encoding => Encoding.UTF8;

    private void Check()
    {
        if (_until is not null && !_ctrlC.IsCancellationRequested && _until(ToString())) _ctrlC.Cancel();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _ctrlC.Dispose();
        base.Dispose(disposing);
    }
}
