namespace Pds.Core.DataModel;

/// <summary>The one exception for JSON that is not valid atproto data-model JSON.</summary>
public sealed class DataModelFormatException(string message) : FormatException(message);
