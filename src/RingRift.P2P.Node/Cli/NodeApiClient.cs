using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Cli;

/// <summary>What the CLI uses to talk to a node's HTTP API; sends the cluster token when one is configured.</summary>
public sealed class NodeApiClient : IDisposable
{
    private readonly HttpClient _http;

    public NodeApiClient(string url, string? token, TimeSpan? timeout = null)
    {
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new CliUsageException($"--url '{url}' is not an http:// or https:// URL");
        _http = new HttpClient { BaseAddress = baseUri, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        if (!string.IsNullOrEmpty(token)) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string Scheme => _http.BaseAddress!.Scheme;

    /// <summary>The node's host:port.</summary>
    public string Address => _http.BaseAddress!.Authority;

    public Task<JsonNode> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonNode> PostAsync(string path, JsonNode body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach {_http.BaseAddress}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"{_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? json = null;
            try { json = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (System.Text.Json.JsonException) { }
            if (!response.IsSuccessStatusCode)
            {
                var error = json?["error"]?.GetValue<string>() ?? text;
                var code = json?["code"]?.GetValue<string>();
                throw new CliException($"{method} {path} failed: {(int)response.StatusCode}{(code is null ? "" : " " + code)}: {error}", (int)response.StatusCode);
            }
            return json ?? throw new CliException($"{method} {path} answered a body that is not JSON", (int)response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();
}
