// sanitize-html ships without declarations: the part of its options the summary page uses.
declare module 'sanitize-html' {
  namespace sanitizeHtml {
    type Attributes = Record<string, string>;
    interface Tag {
      tagName: string;
      attribs: Attributes;
    }
    type Transformer = (tagName: string, attribs: Attributes) => Tag;
    interface Options {
      allowedTags?: string[];
      allowedAttributes?: Record<string, string[]>;
      allowedClasses?: Record<string, string[]>;
      allowedEmptyAttributes?: string[];
      allowedSchemes?: string[];
      allowedSchemesByTag?: Record<string, string[]>;
      allowProtocolRelative?: boolean;
      disallowedTagsMode?: 'discard' | 'completelyDiscard' | 'escape' | 'recursiveEscape';
      nonTextTags?: string[];
      transformTags?: Record<string, string | Transformer>;
      parser?: { decodeEntities?: boolean };
    }
  }
  function sanitizeHtml(dirty: string, options?: sanitizeHtml.Options): string;
  export default sanitizeHtml;
}
