-- The report's Markdown made ready for Word (publish/word.py): each chart's image takes its
-- alt text (the Markdown's fig-alt, which Quarto reads and Pandoc does not), and a commentary
-- box (a Quarto callout) becomes a titled block in the Commentary style.

function Image(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.caption = pandoc.Inlines({ pandoc.Str(alt) })
    img.attributes["fig-alt"] = nil
  end
  return img
end

function Div(div)
  if div.classes:includes("callout-note") or div.classes:includes("commentary") then
    local title = div.attributes["title"] or "Commentary"
    local content = pandoc.List({ pandoc.Para({ pandoc.Strong({ pandoc.Str(title) }) }) })
    content:extend(div.content)
    return pandoc.Div(content, pandoc.Attr("", {}, { ["custom-style"] = "Commentary" }))
  end
end
