// ClassifierSession -> .ipynb: the prose from one table of strings per language, charts as SVG
// written here, the code cells from the PyTorch project's files.
#include "interop/notebook.hpp"

#include "interop/onnx_classifier.hpp"
#include "interop/pytorch_project.hpp"
#include "persist/crc32.hpp"
#include "train/config_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace profundo {

namespace {

using nlohmann::json;

// Every sentence and label of the notebook, in both languages.
const std::map<std::string, std::pair<const char*, const char*>>& phrases() {
  static const std::map<std::string, std::pair<const char*, const char*>> table = {
      {"title", {"Profundo: %s en %s", "Profundo: %s on %s"}},
      {"intro",
       {"Cuaderno generado por Profundo al terminar la ejecución. Las salidas de la primera parte son las de "
        "Profundo; las celdas de código de la segunda parte repiten el experimento con PyTorch (en Colab o Jupyter: "
        "*Ejecutar todo*).",
        "Notebook written by Profundo at the end of the run. The outputs of the first part are Profundo's; the code "
        "cells of the second part re-run the experiment with PyTorch (in Colab or Jupyter: *Run all*)."}},
      {"settings", {"## Ajustes", "## Settings"}},
      {"setting", {"Ajuste", "Setting"}},
      {"value", {"Valor", "Value"}},
      {"model", {"## Modelo", "## Model"}},
      {"layer", {"Capa", "Layer"}},
      {"output", {"Salida", "Output"}},
      {"parameters", {"Parámetros", "Parameters"}},
      {"total", {"Total: %lld parámetros; entrada %s.", "Total: %lld parameters; input %s."}},
      {"curves", {"## Curvas de aprendizaje", "## Learning curves"}},
      {"curves_comment", {"# Salida guardada por Profundo: pérdida y exactitud por época", "# Output saved by Profundo: loss and accuracy per epoch"}},
      {"no_history", {"(esta ejecución no guardó curvas)", "(this run recorded no curves)"}},
      {"epoch", {"época", "epoch"}},
      {"loss", {"pérdida", "loss"}},
      {"accuracy", {"exactitud", "accuracy"}},
      {"train", {"entrenamiento", "train"}},
      {"dev", {"dev", "dev"}},
      {"metrics", {"## Resultados finales", "## Final metrics"}},
      {"metrics_comment", {"# Salida guardada por Profundo: métricas del modelo final", "# Output saved by Profundo: the final model's metrics"}},
      {"metrics_text",
       {"test: pérdida %.4f, exactitud %.2f %% (%d imágenes)\ndev: pérdida %.4f, exactitud %.2f %% (%d imágenes)",
        "test: loss %.4f, accuracy %.2f %% (%d images)\ndev: loss %.4f, accuracy %.2f %% (%d images)"}},
      {"confusion", {"## Matriz de confusión (test)", "## Confusion matrix (test)"}},
      {"confusion_comment", {"# Salida guardada por Profundo: filas = clase real, columnas = clase predicha", "# Output saved by Profundo: rows = true class, columns = predicted class"}},
      {"true", {"real", "true"}},
      {"predicted", {"predicha", "predicted"}},
      {"mistakes", {"## Los errores más seguros (test)", "## The most confident mistakes (test)"}},
      {"mistakes_comment", {"# Salida guardada por Profundo: imágenes de test mal clasificadas con más confianza", "# Output saved by Profundo: the test images misclassified with the highest confidence"}},
      {"no_mistakes", {"(ningún error)", "(no mistakes)"}},
      {"pytorch",
       {"## Repetir el experimento con PyTorch\n\nLas celdas siguientes son el proyecto PyTorch que exporta Profundo "
        "(`data.py`, `optim.py`, `model.py`, `train.py`): el mismo modelo, el mismo optimizador (las fórmulas del "
        "curso), la misma normalización y el mismo aumento de datos. Entrenan desde cero con los ajustes de esta "
        "ejecución (una inicialización y un reparto train/dev nuevos, con la misma semilla) y escriben `model.onnx`, "
        "que Profundo importa. Los datos se descargan en `DATA` si no están.",
        "## Re-running the experiment with PyTorch\n\nThe cells below are the PyTorch project Profundo exports "
        "(`data.py`, `optim.py`, `model.py`, `train.py`): the same model, the same optimiser (the course's formulas), "
        "the same normalisation and data augmentation. They train from scratch with this run's settings (a new "
        "initialisation and train/dev split, from the same seed) and write `model.onnx`, which Profundo imports. The "
        "data is downloaded into `DATA` when it is not there."}},
      {"parameters_comment",
       {"# Parámetros: carpeta de los datos, épocas y número de imágenes de entrenamiento por época (0 = todas)",
        "# Parameters: data folder, epochs and training images per epoch (0 = all)"}},
      {"data_comment", {"# Datos: lectura, normalización y aumento (data.py)", "# Data: reading, normalisation and augmentation (data.py)"}},
      {"optim_comment", {"# Optimizador, calendario de α, L2 y recorte (optim.py)", "# Optimiser, learning-rate schedule, L2 and clipping (optim.py)"}},
      {"model_comment", {"# El modelo (model.py)", "# The model (model.py)"}},
      {"train_comment", {"# Entrenamiento y evaluación (train.py)", "# Training and evaluation (train.py)"}},
      {"run_comment", {"# Los ajustes de la ejecución (run.json) y el experimento", "# The run's settings (run.json) and the experiment"}},
  };
  return table;
}

class Phrases {
 public:
  explicit Phrases(const std::string& language) : spanish_(language == "es") {
    if (language != "es" && language != "en")
      throw std::invalid_argument("notebook: language must be es or en, got '" + language + "'");
  }
  std::string operator()(const std::string& key) const {
    const auto& entry = phrases().at(key);
    return spanish_ ? entry.first : entry.second;
  }
  template <typename... Values>
  std::string format(const std::string& key, Values... values) const {
    const std::string pattern = (*this)(key);
    char buffer[512];
    std::snprintf(buffer, sizeof buffer, pattern.c_str(), values...);
    return buffer;
  }

 private:
  bool spanish_;
};

std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += alphabet[(v >> shift) & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += two ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// One panel of the learning curves: train and dev of `metric` per epoch.
std::string curve_panel(const json& history, const std::string& metric, const Phrases& text, double left) {
  const double width = 300, height = 200, x0 = left + 50, y0 = 20, plot_w = width - 70, plot_h = height - 60;
  std::vector<double> values;
  for (const auto& epoch : history)
    for (const char* split : {"train", "dev"})
      if (epoch.contains(split) && epoch[split].contains(metric)) values.push_back(epoch[split][metric].get<double>());
  double low = values.empty() ? 0 : *std::min_element(values.begin(), values.end());
  double high = values.empty() ? 1 : *std::max_element(values.begin(), values.end());
  if (high - low < 1e-9) high = low + 1e-3;
  const double epochs = std::max<double>(1, static_cast<double>(history.size()));
  const auto x_of = [&](double epoch) { return x0 + (epochs <= 1 ? plot_w / 2 : (epoch - 1) / (epochs - 1) * plot_w); };
  const auto y_of = [&](double v) { return y0 + plot_h - (v - low) / (high - low) * plot_h; };
  std::string svg = "<rect x=\"" + fixed(x0, 1) + "\" y=\"" + fixed(y0, 1) + "\" width=\"" + fixed(plot_w, 1) + "\" height=\"" +
                    fixed(plot_h, 1) + "\" fill=\"none\" stroke=\"#999\"/>";
  svg += "<text x=\"" + fixed(x0 - 4, 1) + "\" y=\"" + fixed(y0 + 4, 1) + "\" text-anchor=\"end\">" + fixed(high, 3) + "</text>";
  svg += "<text x=\"" + fixed(x0 - 4, 1) + "\" y=\"" + fixed(y0 + plot_h, 1) + "\" text-anchor=\"end\">" + fixed(low, 3) + "</text>";
  svg += "<text x=\"" + fixed(x0 + plot_w / 2, 1) + "\" y=\"" + fixed(y0 + plot_h + 30, 1) + "\" text-anchor=\"middle\">" +
         escape_xml(text("epoch")) + " 1–" + std::to_string(history.size()) + "</text>";
  svg += "<text x=\"" + fixed(x0 + plot_w / 2, 1) + "\" y=\"14\" text-anchor=\"middle\" font-weight=\"bold\">" +
         escape_xml(text(metric)) + "</text>";
  const std::pair<const char*, const char*> series[] = {{"train", "#1f77b4"}, {"dev", "#ff7f0e"}};
  for (const auto& [split, colour] : series) {
    std::string points;
    for (const auto& epoch : history)
      if (epoch.contains(split) && epoch[split].contains(metric))
        points += fixed(x_of(epoch.value("epoch", 1.0)), 1) + "," + fixed(y_of(epoch[split][metric].get<double>()), 1) + " ";
    if (points.empty()) continue;
    svg += "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"2\" points=\"" + points + "\"/>";
    const double legend_y = y0 + plot_h + 46 + (std::string(split) == "dev" ? 0 : 0);
    const double legend_x = x0 + (std::string(split) == "dev" ? plot_w / 2 : 0);
    svg += "<text x=\"" + fixed(legend_x, 1) + "\" y=\"" + fixed(legend_y, 1) + "\" fill=\"" + colour + "\">— " +
           escape_xml(text(split)) + "</text>";
  }
  return svg;
}

std::string svg_document(double width, double height, const std::string& body) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fixed(width, 0) + "\" height=\"" + fixed(height, 0) +
         "\" font-family=\"sans-serif\" font-size=\"11\">" + body + "</svg>";
}

std::string confusion_svg(const Evaluation& test, const std::vector<std::string>& names, const Phrases& text) {
  const int classes = test.classes;
  const double cell = 34, left = 110, top = 40;
  std::string body;
  for (int t = 0; t < classes; ++t) {
    int row_total = 0;
    for (int p = 0; p < classes; ++p) row_total += test.confusion[static_cast<std::size_t>(t * classes + p)];
    body += "<text x=\"" + fixed(left - 4, 1) + "\" y=\"" + fixed(top + (t + 0.6) * cell, 1) + "\" text-anchor=\"end\">" +
            escape_xml(names[static_cast<std::size_t>(t)]) + "</text>";
    for (int p = 0; p < classes; ++p) {
      const int count = test.confusion[static_cast<std::size_t>(t * classes + p)];
      const double share = row_total > 0 ? static_cast<double>(count) / row_total : 0;
      const int shade = static_cast<int>(255 - 200 * std::sqrt(share));
      const std::string fill = t == p ? "rgb(" + std::to_string(shade) + "," + std::to_string(shade) + ",255)"
                                      : "rgb(255," + std::to_string(shade) + "," + std::to_string(shade) + ")";
      body += "<rect x=\"" + fixed(left + p * cell, 1) + "\" y=\"" + fixed(top + t * cell, 1) + "\" width=\"" + fixed(cell, 0) +
              "\" height=\"" + fixed(cell, 0) + "\" fill=\"" + fill + "\" stroke=\"#ddd\"/>";
      if (count > 0)
        body += "<text x=\"" + fixed(left + (p + 0.5) * cell, 1) + "\" y=\"" + fixed(top + (t + 0.6) * cell, 1) +
                "\" text-anchor=\"middle\">" + std::to_string(count) + "</text>";
    }
  }
  for (int p = 0; p < classes; ++p)
    body += "<text x=\"" + fixed(left + (p + 0.5) * cell, 1) + "\" y=\"" + fixed(top - 6, 1) + "\" text-anchor=\"middle\">" +
            escape_xml(names[static_cast<std::size_t>(p)].substr(0, 5)) + "</text>";
  body += "<text x=\"" + fixed(left + classes * cell / 2, 1) + "\" y=\"14\" text-anchor=\"middle\" font-weight=\"bold\">" +
          escape_xml(text("predicted")) + "</text>";
  body += "<text x=\"10\" y=\"" + fixed(top + classes * cell / 2, 1) + "\" font-weight=\"bold\">" + escape_xml(text("true")) + "</text>";
  return svg_document(left + classes * cell + 10, top + classes * cell + 10, body);
}

std::string mistakes_svg(const Evaluation& test, const ImageSet& images, const std::vector<std::string>& names) {
  const double size = 84, gap = 16;
  std::string body;
  for (std::size_t i = 0; i < test.mistakes.size(); ++i) {
    const Mistake& m = test.mistakes[i];
    const std::uint8_t* pixels = images.pixels.data() + static_cast<std::size_t>(m.index) * images.pixels_per_image();
    const double x = i * (size + gap);
    body += "<image x=\"" + fixed(x, 0) + "\" y=\"0\" width=\"" + fixed(size, 0) + "\" height=\"" + fixed(size, 0) +
            "\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64," +
            base64(greyscale_png(pixels, images.width, images.height)) + "\"/>";
    body += "<text x=\"" + fixed(x, 0) + "\" y=\"" + fixed(size + 14, 0) + "\">" +
            escape_xml(names[static_cast<std::size_t>(m.label)].substr(0, 8)) + " → " +
            escape_xml(names[static_cast<std::size_t>(m.predicted)].substr(0, 8)) + "</text>";
    body += "<text x=\"" + fixed(x, 0) + "\" y=\"" + fixed(size + 28, 0) + "\">" + fixed(100.0 * m.confidence, 1) + " %</text>";
  }
  return svg_document(std::max<double>(1, test.mistakes.size()) * (size + gap), size + 34, body);
}

json markdown(const std::string& source) { return {{"cell_type", "markdown"}, {"metadata", json::object()}, {"source", source}}; }

json code(const std::string& source, json outputs = json::array()) {
  return {{"cell_type", "code"}, {"metadata", json::object()}, {"execution_count", nullptr}, {"source", source}, {"outputs", outputs}};
}

json display(const std::string& svg, const std::string& plain) {
  json data = {{"text/plain", plain}};
  if (!svg.empty()) data["image/svg+xml"] = svg;
  return json::array({{{"output_type", "display_data"}, {"data", data}, {"metadata", json::object()}}});
}

// "training.optimizer.kind" -> value rows of the settings table.
void flatten(const json& value, const std::string& prefix, std::string& rows) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) flatten(item, prefix.empty() ? key : prefix + "." + key, rows);
    return;
  }
  rows += "| `" + prefix + "` | " + value.dump() + " |\n";
}

// "conv2d: filters 8, kernel_size 5": the layer's fields that say what it is (defaults left out).
std::string layer_text(const json& layer) {
  std::string text = layer.value("type", "?");
  std::string fields;
  for (const auto& [key, value] : layer.items()) {
    const bool is_default = (key == "init" && value == "auto") || (key == "bias" && value == 0.0) ||
                            (key == "stride" && value == 0) || (key == "padding" && value == "valid");
    if (key == "type" || is_default) continue;
    fields += (fields.empty() ? "" : ", ") + key + " " + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return fields.empty() ? text : text + ": " + fields;
}

// One line per epoch: "epoch 1: train loss 0.1234, accuracy 96.50 % · dev loss ...".
std::string history_text(const json& history, const Phrases& text) {
  std::string out;
  for (const auto& epoch : history) {
    out += text("epoch") + " " + epoch.value("epoch", json(0)).dump() + ":";
    for (const char* split : {"train", "dev"})
      if (epoch.contains(split) && epoch[split].is_object())
        out += std::string(" ") + text(split) + " " + text("loss") + " " + fixed(epoch[split].value("loss", 0.0), 4) + ", " +
               text("accuracy") + " " + fixed(100.0 * epoch[split].value("accuracy", 0.0), 2) + " %;";
    out += "\n";
  }
  return out;
}

const std::string& project_file(const std::vector<ProjectFile>& files, const std::string& path) {
  for (const auto& file : files)
    if (file.path == path) return file.content;
  throw std::logic_error("PyTorch project has no " + path);
}

// train.py as a notebook cell: the other files are cells above it, so their imports go, and so
// does the command-line entry point (the last cell calls run_experiment).
std::string notebook_train_source(const std::string& train_py) {
  std::string out, line;
  std::size_t start = 0;
  const std::string entry = "\n\nif __name__ == \"__main__\":";
  const std::string body = train_py.substr(0, train_py.find(entry)) + "\n";
  while (start < body.size()) {
    const std::size_t end = body.find('\n', start);
    line = body.substr(start, end - start);
    start = end == std::string::npos ? body.size() : end + 1;
    if (line.rfind("from data import", 0) == 0 || line.rfind("from model import", 0) == 0 || line.rfind("from optim import", 0) == 0)
      continue;
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string greyscale_png(const std::uint8_t* pixels, int width, int height) {
  const auto u32 = [](std::string& out, std::uint32_t v) {
    for (int shift : {24, 16, 8, 0}) out += static_cast<char>((v >> shift) & 0xFF);
  };
  const auto chunk = [&](std::string& out, const char* type, const std::string& data) {
    u32(out, static_cast<std::uint32_t>(data.size()));
    const std::string typed = std::string(type) + data;
    out += typed;
    u32(out, crc32(reinterpret_cast<const std::uint8_t*>(typed.data()), typed.size()));
  };
  // Scanlines with filter byte 0, in one stored deflate block (each row ≤ 65535 bytes in all here).
  std::string raw;
  for (int y = 0; y < height; ++y) {
    raw += '\0';
    raw.append(reinterpret_cast<const char*>(pixels) + static_cast<std::size_t>(y) * width, static_cast<std::size_t>(width));
  }
  if (raw.size() > 65535) throw std::invalid_argument("greyscale_png: image too large for one stored block");
  std::string zlib = "\x78\x01";
  zlib += '\x01';  // final block, stored
  const auto length = static_cast<std::uint16_t>(raw.size());
  zlib += static_cast<char>(length & 0xFF), zlib += static_cast<char>(length >> 8);
  zlib += static_cast<char>(~length & 0xFF), zlib += static_cast<char>((~length >> 8) & 0xFF);
  zlib += raw;
  std::uint32_t a = 1, b = 0;  // Adler-32
  for (unsigned char c : raw) a = (a + c) % 65521, b = (b + a) % 65521;
  u32(zlib, b << 16 | a);
  std::string header;
  u32(header, static_cast<std::uint32_t>(width));
  u32(header, static_cast<std::uint32_t>(height));
  header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit greyscale, deflate, no filter choice, no interlace
  std::string png = "\x89PNG\r\n\x1a\n";
  chunk(png, "IHDR", header);
  chunk(png, "IDAT", zlib);
  chunk(png, "IEND", "");
  return png;
}

NotebookRun notebook_run_from_json(const std::string& text) {
  const json request = json::parse(text, nullptr, false);
  if (!request.is_object()) throw std::invalid_argument("notebook request: expected a JSON object");
  NotebookRun run;
  for (const auto& [key, value] : request.items()) {
    if (key == "language" && value.is_string()) run.language = value.get<std::string>();
    else if (key == "title" && value.is_string()) run.title = value.get<std::string>();
    else if (key == "history" && value.is_array()) run.history = value;
    else throw std::invalid_argument("notebook request: unexpected '" + key + "' (expected language, title: text; history: a list)");
  }
  for (const auto& epoch : run.history)
    if (!epoch.is_object()) throw std::invalid_argument("notebook request: history must hold one object per epoch");
  return run;
}

std::string run_notebook(ClassifierSession& session, const NotebookRun& run) {
  const Phrases text(run.language);
  const std::vector<ProjectFile> project = pytorch_project(session);  // refuses what PyTorch cannot mirror, first
  const std::string& trained_on = session.dataset_name();
  const std::string dataset = trained_on.substr(0, trained_on.rfind("-train"));
  const std::vector<std::string> names = class_names_of(dataset);
  Model& model = session.model();
  const Evaluation test = session.evaluate(Split::test, 8);
  const Evaluation dev = session.evaluate(Split::dev);

  json cells = json::array();
  const std::string title = run.title.empty() ? "model" : run.title;
  cells.push_back(markdown("# " + text.format("title", title.c_str(), dataset.c_str()) + "\n\n" + text("intro")));

  std::string settings = text("settings") + "\n\n| " + text("setting") + " | " + text("value") + " |\n| --- | --- |\n";
  flatten(json{{"training", to_json(session.train_config())}, {"data", to_json(session.data_config())}}, "", settings);
  settings += "| `normalization` | " + to_json(session.normalization()).dump() + " |\n";
  cells.push_back(markdown(settings));

  std::string layers = text("model") + "\n\n| # | " + text("layer") + " | " + text("output") + " | " + text("parameters") +
                       " |\n| --- | --- | --- | --- |\n";
  const auto summary = model.summary();
  for (std::size_t i = 0; i < summary.size(); ++i)
    layers += "| " + std::to_string(i) + " | " + layer_text(to_json(model.spec()).at("layers")[i]) + " | " +
              to_string(summary[i].output_shape) + " | " + std::to_string(summary[i].parameter_count) + " |\n";
  layers += "\n" + text.format("total", model.parameter_count(), to_string(model.input_shape()).c_str());
  cells.push_back(markdown(layers));

  cells.push_back(markdown(text("curves")));
  if (run.history.empty())
    cells.push_back(code(text("curves_comment"), display("", text("no_history"))));
  else
    cells.push_back(code(text("curves_comment"),
                         display(svg_document(620, 230, curve_panel(run.history, "loss", text, 0) + curve_panel(run.history, "accuracy", text, 310)),
                                 history_text(run.history, text))));

  cells.push_back(markdown(text("metrics")));
  cells.push_back(code(text("metrics_comment"), display("", text.format("metrics_text", test.loss, 100.0 * test.accuracy, test.count,
                                                                        dev.loss, 100.0 * dev.accuracy, dev.count))));
  cells.push_back(markdown(text("confusion")));
  cells.push_back(code(text("confusion_comment"), display(confusion_svg(test, names, text), json(test.confusion).dump())));
  cells.push_back(markdown(text("mistakes")));
  std::string mistakes_plain;
  for (const Mistake& m : test.mistakes)
    mistakes_plain += "#" + std::to_string(m.index) + ": " + names[static_cast<std::size_t>(m.label)] + " -> " +
                      names[static_cast<std::size_t>(m.predicted)] + " (" + fixed(100.0 * m.confidence, 1) + " %)\n";
  cells.push_back(code(text("mistakes_comment"),
                       test.mistakes.empty() ? display("", text("no_mistakes"))
                                             : display(mistakes_svg(test, session.image_set(Split::test), names), mistakes_plain)));

  cells.push_back(markdown(text("pytorch")));
  const int epochs = session.train_config().epochs;
  cells.push_back(code(text("parameters_comment") + "\nimport os\n\nDATA = os.environ.get(\"PROFUNDO_DATA\", \"data\")\n"
                       "EPOCHS = int(os.environ.get(\"PROFUNDO_EPOCHS\", \"" + std::to_string(epochs) + "\"))\n"
                       "LIMIT = int(os.environ.get(\"PROFUNDO_LIMIT\", \"0\"))\n"));
  cells.push_back(code(text("data_comment") + "\n" + project_file(project, "data.py")));
  cells.push_back(code(text("optim_comment") + "\n" + project_file(project, "optim.py")));
  cells.push_back(code(text("model_comment") + "\n" + project_file(project, "model.py")));
  cells.push_back(code(text("train_comment") + "\n" + notebook_train_source(project_file(project, "train.py"))));
  cells.push_back(code(text("run_comment") + "\nRUN = json.loads(r'''" + project_file(project, "run.json") +
                       "''')\nrun_experiment(RUN, DATA, EPOCHS, LIMIT)\n"));

  int id = 0;
  for (auto& cell : cells) cell["id"] = "cell-" + std::to_string(++id);
  const json notebook = {
      {"nbformat", 4},
      {"nbformat_minor", 5},
      {"metadata",
       {{"kernelspec", {{"name", "python3"}, {"display_name", "Python 3"}, {"language", "python"}}},
        {"language_info", {{"name", "python"}}},
        {"profundo", {{"language", run.language}, {"dataset", dataset}}}}},
      {"cells", cells}};
  return notebook.dump(1) + "\n";
}

}  // namespace profundo
