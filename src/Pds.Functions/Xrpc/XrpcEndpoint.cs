using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Pds.Core.Auth;
using Pds.Core.DataModel;
using Pds.Core.Identity;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;

namespace Pds.Functions.Xrpc;

/// <summary>
/// <c>/xrpc/{nsid}</c>: finds the method, checks the HTTP verb, runs it, and turns every
/// failure into an XRPC JSON error. Bad input is a 4xx with a reason; a 500 never leaks internals.
/// </summary>
public sealed class XrpcEndpoint(IEnumerable<IXrpcMethod> methods, TokenService tokens, HostSettings settings, ILogger<XrpcEndpoint> log)
{
    private readonly Dictionary<string, IXrpcMethod> _methods = methods.ToDictionary(m => m.Nsid, StringComparer.Ordinal);

    public bool Has(string nsid) => _methods.ContainsKey(nsid);

    public async Task HandleAsync(HttpContext http, string nsid)
    {
        try
        {
            if (!_methods.TryGetValue(nsid, out var method))
            {
                throw XrpcException.MethodNotImplemented(nsid);
            }
            var verb = http.Request.Method;
            var expectGet = method.Kind == XrpcKind.Query;
            if (expectGet ? !(HttpMethods.IsGet(verb) || HttpMethods.IsHead(verb)) : !HttpMethods.IsPost(verb))
            {
                throw new XrpcException(405, "InvalidRequest", $"Incorrect HTTP method ({verb}) expected {(expectGet ? "GET" : "POST")}");
            }
            await method.HandleAsync(new XrpcContext(http, nsid, tokens, settings.AdminPassword)).ConfigureAwait(false);
        }
        catch (Exception e) when (!http.Response.HasStarted && Classify(e) is var (status, error, message))
        {
            if (status >= 500)
            {
                log.LogError(e, "XRPC {Nsid} failed", nsid);
            }
            http.Response.Clear();
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(new JsonObject { ["error"] = error, ["message"] = message }.ToJsonString()).ConfigureAwait(false);
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested && e is OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static (int, string, string)? Classify(Exception e) => e switch
    {
        OperationCanceledException => null,
        XrpcException x => (x.Status, x.Error, x.Message),
        BadHttpRequestException { StatusCode: 413 } => (413, "PayloadTooLarge", "request entity too large"),
        BadHttpRequestException b => (b.StatusCode, "InvalidRequest", b.Message),
        // The PLC directory or another service we depend on failed: say so instead of a bare 500.
        PlcDirectoryException { IsRejection: false } or HttpRequestException => (502, "UpstreamFailure", "A service this PDS depends on (the PLC directory) could not be reached"),
        PlcDirectoryException p => (400, "InvalidRequest", "The PLC directory refused the operation: " + p.Message),
        // Parsers of untrusted input throw format exceptions: the input was bad, not the server.
        AtSyntaxException or DataModelFormatException or JsonException or FormatException => (400, "InvalidRequest", e.Message),
        _ => (500, "InternalServerError", "Internal Server Error"),
    };
}
