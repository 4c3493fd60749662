/** WebSocket-Node's `request.requestedExtensions`: the offers, lower-cased, for apps to inspect (none are ever negotiated). */

export interface IExtensionParameter {
  name: string;
  value: string | undefined;
}

export interface IExtension {
  name: string;
  params: IExtensionParameter[];
}

export function parseRequestedExtensions(header: string | undefined): IExtension[] {
  if (header === undefined || header === '') return [];
  return header
    .toLowerCase()
    .split(/,\s*/)
    .map((extension) => {
      const [name = '', ...params] = extension.split(/;\s*/);
      return {
        name,
        params: params.map((param) => {
          const [paramName = '', value] = param.split('=');
          return { name: paramName, value };
        }),
      };
    });
}
