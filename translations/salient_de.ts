<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AugmentRecipe</name>
    <message>
        <source>%1: flipping a medical image swaps left and right (or head and feet); a mirrored scan is a different finding</source>
        <translation>%1: Das Spiegeln eines medizinischen Bildes vertauscht links und rechts (oder Kopf und Füße); eine gespiegelte Aufnahme ist ein anderer Befund</translation>
    </message>
    <message>
        <source>%1: hue shifts change stain and tissue colours that carry diagnostic meaning</source>
        <translation>%1: Farbtonverschiebungen verändern Färbungs- und Gewebefarben, die diagnostische Bedeutung tragen</translation>
    </message>
    <message>
        <source>%1: mirrored text is not text any more</source>
        <translation>%1: Gespiegelter Text ist kein Text mehr</translation>
    </message>
    <message>
        <source>%1: rotating text by more than 5 degrees makes pages no scanner produces</source>
        <translation>%1: Text um mehr als 5 Grad zu drehen erzeugt Seiten, die kein Scanner liefert</translation>
    </message>
    <message>
        <source>%1: upside-down photos do not occur in the wild; the model learns from scenes it will never see</source>
        <translation>%1: Auf dem Kopf stehende Fotos kommen in der Praxis nicht vor; das Modell lernt aus Szenen, die es nie sehen wird</translation>
    </message>
</context>
<context>
    <name>TransformParam</name>
    <message>
        <source>Degrees</source>
        <translation>Grad</translation>
    </message>
    <message>
        <source>Size (px)</source>
        <translation>Größe (px)</translation>
    </message>
    <message>
        <source>Smallest area</source>
        <translation>Kleinste Fläche</translation>
    </message>
    <message>
        <source>Largest area</source>
        <translation>Größte Fläche</translation>
    </message>
    <message>
        <source>Narrowest ratio</source>
        <translation>Schmalstes Seitenverhältnis</translation>
    </message>
    <message>
        <source>Widest ratio</source>
        <translation>Breitestes Seitenverhältnis</translation>
    </message>
    <message>
        <source>Width (px)</source>
        <translation>Breite (px)</translation>
    </message>
    <message>
        <source>Height (px)</source>
        <translation>Höhe (px)</translation>
    </message>
    <message>
        <source>Brightness</source>
        <translation>Helligkeit</translation>
    </message>
    <message>
        <source>Contrast</source>
        <translation>Kontrast</translation>
    </message>
    <message>
        <source>Saturation</source>
        <translation>Sättigung</translation>
    </message>
    <message>
        <source>Hue</source>
        <translation>Farbton</translation>
    </message>
    <message>
        <source>Translate (fraction)</source>
        <translation>Verschiebung (Anteil)</translation>
    </message>
    <message>
        <source>Smallest scale</source>
        <translation>Kleinster Maßstab</translation>
    </message>
    <message>
        <source>Largest scale</source>
        <translation>Größter Maßstab</translation>
    </message>
    <message>
        <source>Shear (degrees)</source>
        <translation>Scherung (Grad)</translation>
    </message>
    <message>
        <source>Smallest sigma</source>
        <translation>Kleinstes Sigma</translation>
    </message>
    <message>
        <source>Largest sigma</source>
        <translation>Größtes Sigma</translation>
    </message>
    <message>
        <source>Noise (fraction of range)</source>
        <translation>Rauschen (Anteil am Wertebereich)</translation>
    </message>
    <message>
        <source>Fill value</source>
        <translation>Füllwert</translation>
    </message>
    <message>
        <source>Mean R</source>
        <translation>Mittelwert R</translation>
    </message>
    <message>
        <source>Mean G</source>
        <translation>Mittelwert G</translation>
    </message>
    <message>
        <source>Mean B</source>
        <translation>Mittelwert B</translation>
    </message>
    <message>
        <source>Std R</source>
        <translation>Std.-Abw. R</translation>
    </message>
    <message>
        <source>Std G</source>
        <translation>Std.-Abw. G</translation>
    </message>
    <message>
        <source>Std B</source>
        <translation>Std.-Abw. B</translation>
    </message>
</context>
<context>
    <name>WindowLevelBar</name>
    <message>
        <source>Auto (0.5–99.5 %)</source>
        <translation>Automatisch (0,5–99,5 %)</translation>
    </message>
    <message>
        <source>Data min–max</source>
        <translation>Daten Min–Max</translation>
    </message>
    <message>
        <source>Full 16-bit range</source>
        <translation>Voller 16-Bit-Bereich</translation>
    </message>
    <message>
        <source>10-bit (0–1023)</source>
        <translation>10 Bit (0–1023)</translation>
    </message>
    <message>
        <source>12-bit (0–4095)</source>
        <translation>12 Bit (0–4095)</translation>
    </message>
    <message>
        <source>14-bit (0–16383)</source>
        <translation>14 Bit (0–16383)</translation>
    </message>
    <message>
        <source>CT soft tissue (HU+1024)</source>
        <translation>CT Weichteil (HU+1024)</translation>
    </message>
    <message>
        <source>CT lung (HU+1024)</source>
        <translation>CT Lunge (HU+1024)</translation>
    </message>
    <message>
        <source>CT bone (HU+1024)</source>
        <translation>CT Knochen (HU+1024)</translation>
    </message>
    <message>
        <source>Full range (0–255)</source>
        <translation>Voller Bereich (0–255)</translation>
    </message>
    <message>
        <source>Dark detail (0–127)</source>
        <translation>Dunkle Details (0–127)</translation>
    </message>
    <message>
        <source>Bright detail (128–255)</source>
        <translation>Helle Details (128–255)</translation>
    </message>
    <message>
        <source>High contrast (64–191)</source>
        <translation>Hoher Kontrast (64–191)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Label images, fine-tune CNNs and review Grad-CAM.</source>
        <translation>Bilder annotieren, CNNs feinabstimmen und Grad-CAM prüfen.</translation>
    </message>
    <message>
        <source>Project file (*.salient) to open.</source>
        <translation>Zu öffnende Projektdatei (*.salient).</translation>
    </message>
</context>
<context>
    <name>salient</name>
    <message>
        <source>Convert to Mask</source>
        <translation>In Maske umwandeln</translation>
    </message>
    <message>
        <source>Convert to Polygon</source>
        <translation>In Polygon umwandeln</translation>
    </message>
    <message>
        <source>Fill Holes</source>
        <translation>Löcher füllen</translation>
    </message>
</context>
<context>
    <name>salient::AnnotateView</name>
    <message>
        <source>Annotate</source>
        <translation>Annotieren</translation>
    </message>
    <message>
        <source> Class </source>
        <translation> Klasse </translation>
    </message>
    <message>
        <source>Class of new shapes; 1-9 pick the first nine</source>
        <translation>Klasse neuer Formen; 1–9 wählen die ersten neun</translation>
    </message>
    <message>
        <source>Find a class by name (C, Ctrl+K)</source>
        <translation>Klasse nach Namen suchen (C, Strg+K)</translation>
    </message>
    <message>
        <source> Fill </source>
        <translation> Füllung </translation>
    </message>
    <message>
        <source>Fill opacity of the shapes</source>
        <translation>Deckkraft der Füllung der Formen</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Beschriftungen</translation>
    </message>
    <message>
        <source>Show the class name on each shape</source>
        <translation>Klassennamen an jeder Form zeigen</translation>
    </message>
    <message>
        <source>Visible</source>
        <translation>Sichtbar</translation>
    </message>
    <message>
        <source>Show or hide the shapes of each class</source>
        <translation>Formen jeder Klasse zeigen oder ausblenden</translation>
    </message>
    <message>
        <source>Status </source>
        <translation>Status </translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>Zu prüfen</translation>
    </message>
    <message>
        <source>Where you are with this image (Space marks it done)</source>
        <translation>Wo Sie mit diesem Bild stehen (Leertaste markiert es als fertig)</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>This file cannot be read.</source>
        <translation>Diese Datei kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>This image is already done.</source>
        <translation>Dieses Bild ist bereits fertig.</translation>
    </message>
    <message>
        <source>Marked done. A/D: previous/next image.</source>
        <translation>Als fertig markiert. A/D: vorheriges/nächstes Bild.</translation>
    </message>
    <message>
        <source>Show All</source>
        <translation>Alle zeigen</translation>
    </message>
    <message>
        <source>Convert to Mask</source>
        <translation>In Maske umwandeln</translation>
    </message>
    <message>
        <source>Turn the selected polygons and boxes into pixel masks</source>
        <translation>Die ausgewählten Polygone und Rechtecke in Pixelmasken umwandeln</translation>
    </message>
    <message>
        <source>Convert to Polygon</source>
        <translation>In Polygon umwandeln</translation>
    </message>
    <message>
        <source>Trace the selected masks as polygons (one per region)</source>
        <translation>Die ausgewählten Masken als Polygone nachzeichnen (eines je Region)</translation>
    </message>
    <message>
        <source>Fill Holes</source>
        <translation>Löcher füllen</translation>
    </message>
    <message>
        <source>Fill the enclosed holes of the selected masks</source>
        <translation>Die eingeschlossenen Löcher der ausgewählten Masken füllen</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Convert the selected shapes</source>
        <translation>Die ausgewählten Formen umwandeln</translation>
    </message>
</context>
<context>
    <name>salient::AnnotationCanvas</name>
    <message>
        <source>Delete selected shapes</source>
        <translation>Ausgewählte Formen löschen</translation>
    </message>
    <message>
        <source>Cancel the gesture, clear the selection</source>
        <translation>Geste abbrechen, Auswahl aufheben</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Fit the image in the view</source>
        <translation>Bild in die Ansicht einpassen</translation>
    </message>
    <message>
        <source>Actual size (1:1)</source>
        <translation>Originalgröße (1:1)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Previous image</source>
        <translation>Vorheriges Bild</translation>
    </message>
    <message>
        <source>Next image</source>
        <translation>Nächstes Bild</translation>
    </message>
    <message>
        <source>Mark the image done (tap; hold and drag pans)</source>
        <translation>Bild als fertig markieren (tippen; halten und ziehen verschiebt)</translation>
    </message>
    <message>
        <source>Find a class by name</source>
        <translation>Klasse nach Namen suchen</translation>
    </message>
    <message>
        <source>Class %1 (also for the selected shapes)</source>
        <translation>Klasse %1 (auch für die ausgewählten Formen)</translation>
    </message>
    <message>
        <source>Class “%1” (also for the selected shapes)</source>
        <translation>Klasse „%1“ (auch für die ausgewählten Formen)</translation>
    </message>
    <message>
        <source>(no class)</source>
        <translation>(keine Klasse)</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>Kein Bild</translation>
    </message>
</context>
<context>
    <name>salient::AnnotationDocument</name>
    <message>
        <source>box</source>
        <translation>Rechteck</translation>
    </message>
    <message>
        <source>polygon</source>
        <translation>Polygon</translation>
    </message>
    <message>
        <source>mask</source>
        <translation>Maske</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>%1 hinzufügen</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n shapes</source>
        <translation>
            <numerusform>%n Form löschen</numerusform>
            <numerusform>%n Formen löschen</numerusform>
        </translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message numerus="yes">
        <source>Change class of %n shapes</source>
        <translation>
            <numerusform>Klasse von %n Form ändern</numerusform>
            <numerusform>Klasse von %n Formen ändern</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salient::AugmentPreview</name>
    <message>
        <source>The image as stored, with its shapes</source>
        <translation>Das Bild wie gespeichert, mit seinen Formen</translation>
    </message>
    <message>
        <source> variants</source>
        <translation> Varianten</translation>
    </message>
    <message>
        <source>seed </source>
        <translation>Seed </translation>
    </message>
    <message>
        <source>&amp;Reseed</source>
        <translation>&amp;Neu würfeln</translation>
    </message>
    <message>
        <source>New random variants (R)</source>
        <translation>Neue zufällige Varianten (R)</translation>
    </message>
    <message>
        <source>&amp;Save recipe to project</source>
        <translation>Rezept im Projekt &amp;speichern</translation>
    </message>
    <message>
        <source>the project&apos;s augmentation recipe</source>
        <translation>das Augmentierungsrezept des Projekts</translation>
    </message>
    <message>
        <source>Recipe saved</source>
        <translation>Rezept gespeichert</translation>
    </message>
    <message>
        <source>Select an image in the browser</source>
        <translation>Wählen Sie im Browser ein Bild aus</translation>
    </message>
    <message numerus="yes">
        <source>%n variant(s) in %1 ms</source>
        <translation>
            <numerusform>%n Variante in %1 ms</numerusform>
            <numerusform>%n Varianten in %1 ms</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
</context>
<context>
    <name>salient::BalanceView</name>
    <message>
        <source>Images per class</source>
        <translation>Bilder pro Klasse</translation>
    </message>
    <message>
        <source>Instances (shapes) per class</source>
        <translation>Instanzen (Formen) pro Klasse</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Inverse frequency</source>
        <translation>Inverse Häufigkeit</translation>
    </message>
    <message>
        <source>Effective number</source>
        <translation>Effektive Anzahl</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Anzeigen:</translation>
    </message>
    <message>
        <source>Class weights for the loss</source>
        <translation>Klassengewichte für die Verlustfunktion</translation>
    </message>
    <message>
        <source>No classes yet</source>
        <translation>Noch keine Klassen</translation>
    </message>
    <message>
        <source>Add classes and label images to see their balance.</source>
        <translation>Legen Sie Klassen an und beschriften Sie Bilder, um ihre Verteilung zu sehen.</translation>
    </message>
    <message>
        <source>Instances per class and split</source>
        <translation>Instanzen pro Klasse und Aufteilung</translation>
    </message>
    <message>
        <source>Images per class and split</source>
        <translation>Bilder pro Klasse und Aufteilung</translation>
    </message>
    <message>
        <source>no split</source>
        <translation>ohne Aufteilung</translation>
    </message>
    <message>
        <source>Imbalance ratio (largest / smallest class, by images): &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Ungleichgewicht (größte / kleinste Klasse, nach Bildern): &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#d62728&apos;&gt;Rare classes&lt;/span&gt; (under %1% of the largest): %2</source>
        <translation>&lt;span style=&apos;color:#d62728&apos;&gt;Seltene Klassen&lt;/span&gt; (unter %1 % der größten): %2</translation>
    </message>
    <message>
        <source>Computed from the images in %1; training uses the method you choose. Effective number of samples: Cui et al. 2019, beta %2.</source>
        <translation>Berechnet aus den Bildern in %1; das Training verwendet die Methode, die Sie wählen. Effektive Anzahl der Beispiele: Cui et al. 2019, Beta %2.</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>Train images</source>
        <translation>Trainingsbilder</translation>
    </message>
</context>
<context>
    <name>salient::BoxTool</name>
    <message>
        <source>Box</source>
        <translation>Rechteck</translation>
    </message>
    <message>
        <source>Drag</source>
        <translation>Ziehen</translation>
    </message>
    <message>
        <source>Box: draw a box (it takes the current class)</source>
        <translation>Rechteck: Rechteck aufziehen (es erhält die aktuelle Klasse)</translation>
    </message>
    <message>
        <source>Box: drop the box being drawn</source>
        <translation>Rechteck: das begonnene Rechteck verwerfen</translation>
    </message>
</context>
<context>
    <name>salient::BrushTool</name>
    <message>
        <source>Eraser</source>
        <translation>Radierer</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>Pinsel</translation>
    </message>
    <message>
        <source>Brush/Eraser: smaller brush</source>
        <translation>Pinsel/Radierer: kleinerer Pinsel</translation>
    </message>
    <message>
        <source>Brush/Eraser: larger brush</source>
        <translation>Pinsel/Radierer: größerer Pinsel</translation>
    </message>
    <message>
        <source>Brush/Eraser: drop the stroke being drawn</source>
        <translation>Pinsel/Radierer: den begonnenen Strich verwerfen</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>Radieren</translation>
    </message>
</context>
<context>
    <name>salient::ClassListModel</name>
    <message numerus="yes">
        <source>%1: %n image(s)</source>
        <translation>
            <numerusform>%1: %n Bild</numerusform>
            <numerusform>%1: %n Bilder</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salient::ClassPanel</name>
    <message>
        <source>&amp;Add Class…</source>
        <translation>Klasse &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>&amp;Umbenennen</translation>
    </message>
    <message>
        <source>Re&amp;colour…</source>
        <translation>&amp;Farbe ändern…</translation>
    </message>
    <message>
        <source>&amp;Merge Into…</source>
        <translation>&amp;Zusammenführen mit…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>&amp;Show Only This Class</source>
        <translation>Nur diese Klasse &amp;zeigen</translation>
    </message>
    <message>
        <source>Add a class</source>
        <translation>Eine Klasse hinzufügen</translation>
    </message>
    <message>
        <source>Rename the selected class (F2)</source>
        <translation>Die gewählte Klasse umbenennen (F2)</translation>
    </message>
    <message>
        <source>Change the colour of the selected class</source>
        <translation>Die Farbe der gewählten Klasse ändern</translation>
    </message>
    <message>
        <source>Move every label of the selected class onto another class</source>
        <translation>Alle Labels der gewählten Klasse auf eine andere Klasse übertragen</translation>
    </message>
    <message>
        <source>Delete the selected class and its labels</source>
        <translation>Die gewählte Klasse und ihre Labels löschen</translation>
    </message>
    <message>
        <source>Show &amp;All Images</source>
        <translation>&amp;Alle Bilder zeigen</translation>
    </message>
    <message>
        <source>Add Class</source>
        <translation>Klasse hinzufügen</translation>
    </message>
    <message>
        <source>Name of the new class:</source>
        <translation>Name der neuen Klasse:</translation>
    </message>
    <message>
        <source>Colour of “%1”</source>
        <translation>Farbe von „%1“</translation>
    </message>
    <message>
        <source>Merge Class</source>
        <translation>Klasse zusammenführen</translation>
    </message>
    <message>
        <source>Move every label of “%1” onto this class, then remove “%1”:</source>
        <translation>Alle Labels von „%1“ auf diese Klasse übertragen und „%1“ dann entfernen:</translation>
    </message>
    <message numerus="yes">
        <source>Delete the class “%1”? %n image(s) will lose this label.</source>
        <translation>
            <numerusform>Die Klasse „%1“ löschen? %n Bild verliert dieses Label.</numerusform>
            <numerusform>Die Klasse „%1“ löschen? %n Bilder verlieren dieses Label.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete the class “%1”? No image carries it.</source>
        <translation>Die Klasse „%1“ löschen? Kein Bild trägt sie.</translation>
    </message>
    <message>
        <source>Delete Class</source>
        <translation>Klasse löschen</translation>
    </message>
</context>
<context>
    <name>salient::ClassPicker</name>
    <message>
        <source>Find a class…</source>
        <translation>Klasse suchen…</translation>
    </message>
</context>
<context>
    <name>salient::ConfusionMatrixView</name>
    <message>
        <source>Rows: true class. Columns: predicted class.</source>
        <translation>Zeilen: wahre Klasse. Spalten: vorhergesagte Klasse.</translation>
    </message>
    <message>
        <source>Rows: true class · columns: predicted class · click a cell to show its images in the browser</source>
        <translation>Zeilen: wahre Klasse · Spalten: vorhergesagte Klasse · ein Klick auf eine Zelle zeigt ihre Bilder im Browser</translation>
    </message>
    <message>
        <source>No evaluation yet: the matrix fills in after the first epoch, or pick a run in the Runs list.</source>
        <translation>Noch keine Auswertung: Die Matrix füllt sich nach der ersten Epoche, oder wählen Sie einen Lauf in der Liste „Läufe“.</translation>
    </message>
    <message>
        <source>accuracy %1%</source>
        <translation>Genauigkeit %1 %</translation>
    </message>
    <message>
        <source>macro-F1 %1</source>
        <translation>Makro-F1 %1</translation>
    </message>
    <message>
        <source>macro AUC %1</source>
        <translation>Makro-AUC %1</translation>
    </message>
    <message>
        <source>calibration error %1</source>
        <translation>Kalibrierungsfehler %1</translation>
    </message>
    <message>
        <source>loss %1</source>
        <translation>Verlust %1</translation>
    </message>
    <message>
        <source>A multi-label run has no confusion matrix; the table lists each class.</source>
        <translation>Ein Mehrfach-Label-Lauf hat keine Konfusionsmatrix; die Tabelle zeigt jede Klasse.</translation>
    </message>
    <message numerus="yes">
        <source>True “%1”, predicted “%2”: %n image(s) (%3% of “%1”)</source>
        <translation>
            <numerusform>Wahr „%1“, vorhergesagt „%2“: %n Bild (%3 % von „%1“)</numerusform>
            <numerusform>Wahr „%1“, vorhergesagt „%2“: %n Bilder (%3 % von „%1“)</numerusform>
        </translation>
    </message>
    <message>
        <source>Click or press Enter to show them in the browser</source>
        <translation>Klicken oder Eingabe drücken, um sie im Browser zu zeigen</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Präzision</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>AUC</source>
        <translation>AUC</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <source>1 image</source>
        <translation>1 Bild</translation>
    </message>
    <message>
        <source>%1 images</source>
        <translation>%1 Bilder</translation>
    </message>
</context>
<context>
    <name>salient::DatasetDialogBase</name>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Aborted. Nothing was changed.</source>
        <translation>Abgebrochen. Nichts wurde geändert.</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was changed.</source>
        <translation>Abgebrochen. Nichts wurde geändert.</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>Fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>salient::DatasetExportDialog</name>
    <message>
        <source>Export Dataset</source>
        <translation>Datensatz exportieren</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>Folder to write into</source>
        <translation>Ordner, in den geschrieben wird</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Du&amp;rchsuchen…</translation>
    </message>
    <message>
        <source>Output Folder</source>
        <translation>Zielordner</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>&amp;Zielordner:</translation>
    </message>
    <message>
        <source>All images</source>
        <translation>Alle Bilder</translation>
    </message>
    <message>
        <source>Split “%1”</source>
        <translation>Split „%1“</translation>
    </message>
    <message>
        <source>&amp;Images from:</source>
        <translation>&amp;Bilder aus:</translation>
    </message>
    <message>
        <source>&amp;Link (hard link when possible, else copy)</source>
        <translation>&amp;Verknüpfen (Hardlink, wo möglich, sonst Kopie)</translation>
    </message>
    <message>
        <source>Co&amp;py</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>&amp;Annotations only</source>
        <translation>Nur &amp;Annotationen</translation>
    </message>
    <message>
        <source>Image files:</source>
        <translation>Bilddateien:</translation>
    </message>
    <message>
        <source>labelme only: the image travels inside its annotation file</source>
        <translation>Nur labelme: das Bild steckt in seiner Annotationsdatei</translation>
    </message>
    <message>
        <source>O&amp;nly annotated images</source>
        <translation>Nur a&amp;nnotierte Bilder</translation>
    </message>
    <message>
        <source>Leave out images with no label and no shape</source>
        <translation>Bilder ohne Label und ohne Form auslassen</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>Choose an output folder first.</source>
        <translation>Wählen Sie zuerst einen Zielordner.</translation>
    </message>
    <message>
        <source>No dataset format is available in this build.</source>
        <translation>In diesem Build ist kein Datensatzformat verfügbar.</translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 ist eine Datei, kein Ordner.</translation>
    </message>
    <message>
        <source>The folder %1 is not empty. Files the export writes replace those of the same name; others are left alone. Continue?</source>
        <translation>Der Ordner %1 ist nicht leer. Dateien, die der Export schreibt, ersetzen gleichnamige; andere bleiben unberührt. Fortfahren?</translation>
    </message>
    <message>
        <source>Reading project…</source>
        <translation>Projekt wird gelesen…</translation>
    </message>
    <message>
        <source>E&amp;mbed image data in each JSON file (labelme)</source>
        <translation>Bilddaten in jede JSON-Datei einbe&amp;tten (labelme)</translation>
    </message>
</context>
<context>
    <name>salient::DatasetImportDialog</name>
    <message>
        <source>Import Dataset</source>
        <translation>Datensatz importieren</translation>
    </message>
    <message>
        <source>Auto-detect</source>
        <translation>Automatisch erkennen</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>Annotation file or dataset folder</source>
        <translation>Annotationsdatei oder Datensatzordner</translation>
    </message>
    <message>
        <source>F&amp;ile…</source>
        <translation>&amp;Datei…</translation>
    </message>
    <message>
        <source>F&amp;older…</source>
        <translation>&amp;Ordner…</translation>
    </message>
    <message>
        <source>&amp;Dataset:</source>
        <translation>Daten&amp;satz:</translation>
    </message>
    <message>
        <source>Optional: where the format usually keeps them</source>
        <translation>Optional: sonst dort, wo das Format sie üblicherweise ablegt</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Du&amp;rchsuchen…</translation>
    </message>
    <message>
        <source>Image Folder</source>
        <translation>Bildordner</translation>
    </message>
    <message>
        <source>I&amp;mages in:</source>
        <translation>Bilder i&amp;n:</translation>
    </message>
    <message>
        <source>Images already in the project keep their annotations; what the dataset adds is merged in. Nothing changes unless the whole import succeeds.</source>
        <translation>Bilder, die schon im Projekt sind, behalten ihre Annotationen; was der Datensatz hinzufügt, wird zusammengeführt. Nichts ändert sich, solange nicht der ganze Import gelingt.</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Dataset Folder</source>
        <translation>Datensatzordner</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV-Dateien (*.csv *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>JSON-Dateien (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Annotation files (*.json *.csv *.txt *.xml *.yaml *.yml);;All files (*)</source>
        <translation>Annotationsdateien (*.json *.csv *.txt *.xml *.yaml *.yml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Dataset File</source>
        <translation>Datensatzdatei</translation>
    </message>
    <message>
        <source>Choose a dataset file or folder first.</source>
        <translation>Wählen Sie zuerst eine Datensatzdatei oder einen Datensatzordner.</translation>
    </message>
    <message>
        <source>%1: no such file or folder.</source>
        <translation>%1: Datei oder Ordner nicht gefunden.</translation>
    </message>
    <message>
        <source>%1 reads a folder; %2 is a file.</source>
        <translation>%1 liest einen Ordner; %2 ist eine Datei.</translation>
    </message>
    <message>
        <source>%1 reads a file; %2 is a folder.</source>
        <translation>%1 liest eine Datei; %2 ist ein Ordner.</translation>
    </message>
    <message>
        <source>%1: no such folder.</source>
        <translation>%1: Ordner nicht gefunden.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
</context>
<context>
    <name>salient::DatasetJob</name>
    <message>
        <source>Reading</source>
        <translation>Lesen</translation>
    </message>
    <message>
        <source>Checking images</source>
        <translation>Bilder prüfen</translation>
    </message>
    <message>
        <source>Writing project</source>
        <translation>Projekt schreiben</translation>
    </message>
    <message>
        <source>Writing files</source>
        <translation>Dateien schreiben</translation>
    </message>
</context>
<context>
    <name>salient::DatasetReportDialog</name>
    <message numerus="yes">
        <source>Imported %n image(s)</source>
        <translation>
            <numerusform>%n Bild importiert</numerusform>
            <numerusform>%n Bilder importiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n already in the project)</source>
        <translation>
            <numerusform> (%n schon im Projekt)</numerusform>
            <numerusform> (%n schon im Projekt)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n shape(s)</source>
        <translation>
            <numerusform>, %n Form</numerusform>
            <numerusform>, %n Formen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n label(s)</source>
        <translation>
            <numerusform>, %n Label</numerusform>
            <numerusform>, %n Labels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n item(s) skipped</source>
        <translation>
            <numerusform>; %n Eintrag übersprungen</numerusform>
            <numerusform>; %n Einträge übersprungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n warning(s)</source>
        <translation>
            <numerusform>; %n Warnung</numerusform>
            <numerusform>; %n Warnungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n image(s)</source>
        <translation>
            <numerusform>%n Bild exportiert</numerusform>
            <numerusform>%n Bilder exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Dataset Import Report</source>
        <translation>Bericht: Datensatzimport</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Images in the dataset:</source>
        <translation>Bilder im Datensatz:</translation>
    </message>
    <message>
        <source>Images added:</source>
        <translation>Bilder hinzugefügt:</translation>
    </message>
    <message>
        <source>Images already present:</source>
        <translation>Bilder schon vorhanden:</translation>
    </message>
    <message>
        <source>Classes added:</source>
        <translation>Klassen hinzugefügt:</translation>
    </message>
    <message>
        <source>Image labels added:</source>
        <translation>Bild-Labels hinzugefügt:</translation>
    </message>
    <message>
        <source>Boxes added:</source>
        <translation>Rechtecke hinzugefügt:</translation>
    </message>
    <message>
        <source>Polygons added:</source>
        <translation>Polygone hinzugefügt:</translation>
    </message>
    <message>
        <source>Masks added:</source>
        <translation>Masken hinzugefügt:</translation>
    </message>
    <message>
        <source>Shapes already present:</source>
        <translation>Formen schon vorhanden:</translation>
    </message>
    <message>
        <source>Items skipped:</source>
        <translation>Einträge übersprungen:</translation>
    </message>
    <message>
        <source>Warnings:</source>
        <translation>Warnungen:</translation>
    </message>
    <message>
        <source>Dataset Export Report</source>
        <translation>Bericht: Datensatzexport</translation>
    </message>
    <message>
        <source>Images:</source>
        <translation>Bilder:</translation>
    </message>
    <message>
        <source>Classes:</source>
        <translation>Klassen:</translation>
    </message>
    <message>
        <source>Image labels:</source>
        <translation>Bild-Labels:</translation>
    </message>
    <message>
        <source>Boxes:</source>
        <translation>Rechtecke:</translation>
    </message>
    <message>
        <source>Polygons:</source>
        <translation>Polygone:</translation>
    </message>
    <message>
        <source>Masks:</source>
        <translation>Masken:</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>Dauer:</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <source>Skipped (%1)</source>
        <translation>Übersprungen (%1)</translation>
    </message>
    <message>
        <source>Warnings (%1)</source>
        <translation>Warnungen (%1)</translation>
    </message>
    <message>
        <source>&amp;Open Folder</source>
        <translation>Ordner ö&amp;ffnen</translation>
    </message>
</context>
<context>
    <name>salient::EditCommands</name>
    <message numerus="yes">
        <source>Set labels of %n image(s)</source>
        <translation>
            <numerusform>Labels von %n Bild setzen</numerusform>
            <numerusform>Labels von %n Bildern setzen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove a label from %n image(s)</source>
        <translation>
            <numerusform>Ein Label von %n Bild entfernen</numerusform>
            <numerusform>Ein Label von %n Bildern entfernen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Add a label to %n image(s)</source>
        <translation>
            <numerusform>%n Bild ein Label hinzufügen</numerusform>
            <numerusform>%n Bildern ein Label hinzufügen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Clear labels of %n image(s)</source>
        <translation>
            <numerusform>Labels von %n Bild löschen</numerusform>
            <numerusform>Labels von %n Bildern löschen</numerusform>
        </translation>
    </message>
    <message>
        <source>A class needs a name.</source>
        <translation>Eine Klasse braucht einen Namen.</translation>
    </message>
    <message>
        <source>Not a valid colour.</source>
        <translation>Keine gültige Farbe.</translation>
    </message>
    <message>
        <source>A class cannot be merged into itself.</source>
        <translation>Eine Klasse kann nicht mit sich selbst zusammengeführt werden.</translation>
    </message>
    <message>
        <source>Merge class %1 into %2</source>
        <translation>Klasse %1 mit %2 zusammenführen</translation>
    </message>
    <message>
        <source>Set status to %1</source>
        <translation>Status auf %1 setzen</translation>
    </message>
    <message>
        <source>Add class %1</source>
        <translation>Klasse %1 hinzufügen</translation>
    </message>
    <message>
        <source>Rename class %1 to %2</source>
        <translation>Klasse %1 in %2 umbenennen</translation>
    </message>
    <message>
        <source>Change class colour</source>
        <translation>Klassenfarbe ändern</translation>
    </message>
    <message>
        <source>Merge class %1</source>
        <translation>Klasse %1 zusammenführen</translation>
    </message>
    <message>
        <source>Delete class %1</source>
        <translation>Klasse %1 löschen</translation>
    </message>
</context>
<context>
    <name>salient::ExportDialog</name>
    <message>
        <source>Export Model</source>
        <translation>Modell exportieren</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Stop the export; nothing is written</source>
        <translation>Export anhalten; es wird nichts geschrieben</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>&amp;Run:</source>
        <translation>&amp;Lauf:</translation>
    </message>
    <message>
        <source>ONNX (OpenCV, ONNX Runtime and other tools)</source>
        <translation>ONNX (OpenCV, ONNX Runtime und andere Werkzeuge)</translation>
    </message>
    <message>
        <source>LibTorch (salient-cli predict and the studio)</source>
        <translation>LibTorch (salient-cli predict und das Studio)</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Save as:</source>
        <translation>&amp;Speichern unter:</translation>
    </message>
    <message>
        <source>ONNX</source>
        <translation>ONNX</translation>
    </message>
    <message>
        <source>Normalisation built in (input is raw 0–255 RGB)</source>
        <translation>Normalisierung eingebaut (Eingabe: rohe RGB-Werte 0–255)</translation>
    </message>
    <message>
        <source>Mean and standard deviation become part of the graph, so a deployment feeds pixels as they are</source>
        <translation>Mittelwert und Standardabweichung werden Teil des Graphen; im Einsatz werden die Pixel unverändert übergeben</translation>
    </message>
    <message>
        <source>Grad-CAM features output</source>
        <translation>Merkmalsausgabe für Grad-CAM</translation>
    </message>
    <message>
        <source>A second output, &quot;features&quot;, with the last convolutional block, so Grad-CAM can be computed where the model is deployed</source>
        <translation>Eine zweite Ausgabe „features“ mit dem letzten Faltungsblock, damit Grad-CAM auch dort berechnet werden kann, wo das Modell eingesetzt wird</translation>
    </message>
    <message>
        <source>Quantise to int8 (calibrated on training images)</source>
        <translation>Auf int8 quantisieren (kalibriert mit Trainingsbildern)</translation>
    </message>
    <message>
        <source>About four times smaller and faster on CPUs; its test accuracy is measured and compared with the full-precision model</source>
        <translation>Etwa viermal kleiner und auf CPUs schneller; die Testgenauigkeit wird gemessen und mit dem Modell in voller Genauigkeit verglichen</translation>
    </message>
    <message>
        <source> images</source>
        <translation> Bildern</translation>
    </message>
    <message>
        <source>Calibrate on:</source>
        <translation>Kalibrieren mit:</translation>
    </message>
    <message>
        <source> points</source>
        <translation> Punkte</translation>
    </message>
    <message>
        <source>Test accuracy may fall by this many percentage points before the export warns</source>
        <translation>Um so viele Prozentpunkte darf die Testgenauigkeit sinken, bevor der Export warnt</translation>
    </message>
    <message>
        <source>Largest accuracy drop allowed:</source>
        <translation>Größter erlaubter Genauigkeitsverlust:</translation>
    </message>
    <message>
        <source>Pruning and check</source>
        <translation>Pruning und Prüfung</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Set this share of the weights (the smallest) to zero, fine-tune, and export the pruned model (a new run)</source>
        <translation>Diesen Anteil der Gewichte (die kleinsten) auf null setzen, nachtrainieren und das ausgedünnte Modell exportieren (ein neuer Lauf)</translation>
    </message>
    <message>
        <source>Prune to sparsity:</source>
        <translation>Ausdünnen auf Sparsity:</translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> Epochen</translation>
    </message>
    <message>
        <source> epoch</source>
        <translation> Epoche</translation>
    </message>
    <message>
        <source>Fine-tune after pruning:</source>
        <translation>Nachtrainieren nach dem Pruning:</translation>
    </message>
    <message>
        <source> test images</source>
        <translation> Testbildern</translation>
    </message>
    <message>
        <source>Real images run through the run&apos;s model and through the exported file, whose outputs are compared</source>
        <translation>Echte Bilder laufen durch das Modell des Laufs und durch die exportierte Datei; deren Ausgaben werden verglichen</translation>
    </message>
    <message>
        <source>Compare outputs on:</source>
        <translation>Ausgaben vergleichen an:</translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>Modellkarte</translation>
    </message>
    <message>
        <source>&amp;Intended use:</source>
        <translation>&amp;Vorgesehene Verwendung:</translation>
    </message>
    <message>
        <source>What the model is for, and who may use it</source>
        <translation>Wofür das Modell gedacht ist und wer es verwenden darf</translation>
    </message>
    <message>
        <source>&amp;Limitations:</source>
        <translation>&amp;Einschränkungen:</translation>
    </message>
    <message>
        <source>Where it is known to fail or was not tested</source>
        <translation>Wo es bekanntermaßen versagt oder nicht getestet wurde</translation>
    </message>
    <message>
        <source>Saved beside the model as JSON and HTML, with the classes, split counts, test metrics and training config.</source>
        <translation>Wird neben dem Modell als JSON und HTML gespeichert, mit Klassen, Anzahlen je Aufteilung, Testmetriken und Trainingskonfiguration.</translation>
    </message>
    <message>
        <source>1 epoch</source>
        <translation>1 Epoche</translation>
    </message>
    <message>
        <source>%1 epochs</source>
        <translation>%1 Epochen</translation>
    </message>
    <message>
        <source>test accuracy %1 %</source>
        <translation>Testgenauigkeit %1 %</translation>
    </message>
    <message>
        <source>%1 (#%2) — %3</source>
        <translation>%1 (#%2) — %3</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Open a project first.</source>
        <translation>Öffnen Sie zuerst ein Projekt.</translation>
    </message>
    <message>
        <source>This project has no finished run to export. Train one first (F9).</source>
        <translation>Dieses Projekt hat keinen abgeschlossenen Lauf zum Exportieren. Trainieren Sie zuerst einen (F9).</translation>
    </message>
    <message>
        <source>This build cannot export models (it was built without training).</source>
        <translation>Diese Version kann keine Modelle exportieren (sie wurde ohne Training gebaut).</translation>
    </message>
    <message>
        <source>Choose the file to save the model as.</source>
        <translation>Wählen Sie die Datei, unter der das Modell gespeichert wird.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Der Ordner %1 existiert nicht.</translation>
    </message>
    <message>
        <source>%1 is a folder; choose a file name.</source>
        <translation>%1 ist ein Ordner; wählen Sie einen Dateinamen.</translation>
    </message>
    <message>
        <source>Only for ONNX files</source>
        <translation>Nur für ONNX-Dateien</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX-Modelle (*.onnx)</translation>
    </message>
    <message>
        <source>LibTorch models (*.pt)</source>
        <translation>LibTorch-Modelle (*.pt)</translation>
    </message>
    <message>
        <source>Save Model As</source>
        <translation>Modell speichern unter</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>The export was stopped; no file was written.</source>
        <translation>Der Export wurde angehalten; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>The export failed: %1</source>
        <translation>Der Export ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Does another runtime read it the same?</source>
        <translation>Liest eine andere Laufzeitumgebung es genauso?</translation>
    </message>
    <message>
        <source>Runtime:</source>
        <translation>Laufzeitumgebung:</translation>
    </message>
    <message>
        <source>Images compared:</source>
        <translation>Verglichene Bilder:</translation>
    </message>
    <message>
        <source>Largest |difference|:</source>
        <translation>Größte |Differenz|:</translation>
    </message>
    <message>
        <source>Same top class:</source>
        <translation>Gleiche wahrscheinlichste Klasse:</translation>
    </message>
    <message>
        <source>ONNX checker:</source>
        <translation>ONNX-Prüfer:</translation>
    </message>
    <message>
        <source>Size and accuracy</source>
        <translation>Größe und Genauigkeit</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>Test accuracy before:</source>
        <translation>Testgenauigkeit vorher:</translation>
    </message>
    <message>
        <source>Test accuracy after:</source>
        <translation>Testgenauigkeit nachher:</translation>
    </message>
    <message>
        <source>Change:</source>
        <translation>Änderung:</translation>
    </message>
    <message>
        <source>Pruned:</source>
        <translation>Ausgedünnt:</translation>
    </message>
    <message>
        <source>Open Model &amp;Card</source>
        <translation>Modell&amp;karte öffnen</translation>
    </message>
    <message>
        <source>Open Containing &amp;Folder</source>
        <translation>Enthaltenden &amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>Export &amp;Another…</source>
        <translation>&amp;Weiteren Export…</translation>
    </message>
    <message>
        <source>Could not open %1.</source>
        <translation>%1 konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; is written, with its model card beside it.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; ist geschrieben, die Modellkarte liegt daneben.</translation>
    </message>
    <message>
        <source>✔ Parity check passed: %1 reads the int8 file and agrees on the top class of %2 of %3 images.</source>
        <translation>✔ Paritätsprüfung bestanden: %1 liest die int8-Datei und stimmt bei %2 von %3 Bildern in der wahrscheinlichsten Klasse überein.</translation>
    </message>
    <message>
        <source>✔ Parity check passed: %1 gives the same outputs as LibTorch on %2 real images.</source>
        <translation>✔ Paritätsprüfung bestanden: %1 liefert auf %2 echten Bildern dieselben Ausgaben wie LibTorch.</translation>
    </message>
    <message>
        <source>the check did not run</source>
        <translation>die Prüfung ist nicht gelaufen</translation>
    </message>
    <message>
        <source>the ONNX checker refused the file</source>
        <translation>der ONNX-Prüfer hat die Datei abgelehnt</translation>
    </message>
    <message>
        <source>no image could be compared</source>
        <translation>kein Bild konnte verglichen werden</translation>
    </message>
    <message>
        <source>outputs differ by up to %1, more than %2</source>
        <translation>die Ausgaben weichen um bis zu %1 ab, mehr als %2</translation>
    </message>
    <message>
        <source>✘ Parity check failed: %1. Do not deploy this file as it is.</source>
        <translation>✘ Paritätsprüfung fehlgeschlagen: %1. Setzen Sie diese Datei so nicht ein.</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 (int8 is judged by accuracy instead)</source>
        <translation>%1 (int8 wird stattdessen an der Genauigkeit gemessen)</translation>
    </message>
    <message>
        <source>%1 (allowed %2)</source>
        <translation>%1 (erlaubt %2)</translation>
    </message>
    <message>
        <source>%1 (%2 of %3 images)</source>
        <translation>%1 (%2 von %3 Bildern)</translation>
    </message>
    <message>
        <source>not an ONNX file</source>
        <translation>keine ONNX-Datei</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>akzeptiert</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>abgelehnt: %1</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>ohne Begründung</translation>
    </message>
    <message>
        <source>%1, %2× smaller than full precision (%3)</source>
        <translation>%1, %2× kleiner als in voller Genauigkeit (%3)</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>nicht gemessen</translation>
    </message>
    <message>
        <source>%1 (LibTorch, the run&apos;s model)</source>
        <translation>%1 (LibTorch, das Modell des Laufs)</translation>
    </message>
    <message>
        <source>%1 (through the exported file, %2 test images)</source>
        <translation>%1 (mit der exportierten Datei, %2 Testbilder)</translation>
    </message>
    <message>
        <source>−%1 points</source>
        <translation>−%1 Punkte</translation>
    </message>
    <message>
        <source>+%1 points</source>
        <translation>+%1 Punkte</translation>
    </message>
    <message>
        <source>%1 (allowed drop %2 points)</source>
        <translation>%1 (erlaubter Verlust %2 Punkte)</translation>
    </message>
    <message>
        <source>%1 of the weights are zero (run #%2, fine-tuned)</source>
        <translation>%1 der Gewichte sind null (Lauf #%2, nachtrainiert)</translation>
    </message>
    <message>
        <source>⚠ Test accuracy fell by %1 points, more than the %2 allowed. Try more calibration images, less pruning, or a full-precision export.</source>
        <translation>⚠ Die Testgenauigkeit ist um %1 Punkte gesunken, mehr als die erlaubten %2. Versuchen Sie mehr Kalibrierbilder, weniger Pruning oder einen Export in voller Genauigkeit.</translation>
    </message>
</context>
<context>
    <name>salient::FilterBar</name>
    <message>
        <source>Search by path…</source>
        <translation>Nach Pfad suchen…</translation>
    </message>
    <message>
        <source>Show images carrying this class</source>
        <translation>Bilder mit dieser Klasse zeigen</translation>
    </message>
    <message>
        <source>Show images in this split</source>
        <translation>Bilder in diesem Split zeigen</translation>
    </message>
    <message>
        <source>Show images with this status</source>
        <translation>Bilder mit diesem Status zeigen</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>Zu prüfen</translation>
    </message>
    <message>
        <source>Unlabelled only</source>
        <translation>Nur ohne Label</translation>
    </message>
    <message>
        <source>Unreadable only</source>
        <translation>Nur unlesbare</translation>
    </message>
    <message>
        <source>&amp;Class:</source>
        <translation>&amp;Klasse:</translation>
    </message>
    <message>
        <source>S&amp;plit:</source>
        <translation>S&amp;plit:</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <source>Any class</source>
        <translation>Jede Klasse</translation>
    </message>
    <message>
        <source>Any split</source>
        <translation>Jeder Split</translation>
    </message>
    <message>
        <source>No split</source>
        <translation>Kein Split</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Aufheben</translation>
    </message>
    <message>
        <source>Show all images again</source>
        <translation>Wieder alle Bilder zeigen</translation>
    </message>
    <message>
        <source>Showing 1 image from %1</source>
        <translation>Es wird 1 Bild gezeigt aus %1</translation>
    </message>
    <message>
        <source>Showing %1 images from %2</source>
        <translation>Es werden %1 Bilder gezeigt aus %2</translation>
    </message>
</context>
<context>
    <name>salient::HeatmapView</name>
    <message>
        <source>C&amp;ontour</source>
        <translation>K&amp;ontur</translation>
    </message>
    <message>
        <source>Side b&amp;y side</source>
        <translation>&amp;Nebeneinander</translation>
    </message>
    <message>
        <source>Grad-CAM</source>
        <translation>Grad-CAM</translation>
    </message>
    <message>
        <source>Grad-CAM++</source>
        <translation>Grad-CAM++</translation>
    </message>
    <message>
        <source>LayerCAM</source>
        <translation>LayerCAM</translation>
    </message>
    <message>
        <source>How the class activation map is computed</source>
        <translation>Wie die Klassenaktivierungskarte berechnet wird</translation>
    </message>
    <message>
        <source>The network block whose activations are explained; the last convolutional block is the usual choice</source>
        <translation>Der Netzwerkblock, dessen Aktivierungen erklärt werden; üblich ist der letzte Faltungsblock</translation>
    </message>
    <message>
        <source>The class the map explains: where the model sees evidence for it</source>
        <translation>Die Klasse, die die Karte erklärt: wo das Modell Hinweise auf sie sieht</translation>
    </message>
    <message>
        <source>Turbo</source>
        <translation>Turbo</translation>
    </message>
    <message>
        <source>Jet</source>
        <translation>Jet</translation>
    </message>
    <message>
        <source>Viridis</source>
        <translation>Viridis</translation>
    </message>
    <message>
        <source>Low to high activation</source>
        <translation>Niedrige bis hohe Aktivierung</translation>
    </message>
    <message>
        <source>Heatmap opacity: 0 shows the image only</source>
        <translation>Deckkraft der Heatmap: 0 zeigt nur das Bild</translation>
    </message>
    <message>
        <source>Outline the region whose activation is at least this share of the maximum</source>
        <translation>Den Bereich umranden, dessen Aktivierung mindestens diesen Anteil des Maximums erreicht</translation>
    </message>
    <message>
        <source>The original beside the overlay, or the overlay alone</source>
        <translation>Das Original neben der Überlagerung oder nur die Überlagerung</translation>
    </message>
    <message>
        <source>Deletion score: the target&apos;s probability as the hottest pixels are removed, area under that curve. Lower means the map found what the model relies on.</source>
        <translation>Deletion-Score: die Wahrscheinlichkeit der Zielklasse, während die heißesten Pixel entfernt werden, als Fläche unter dieser Kurve. Niedriger heißt: Die Karte hat gefunden, worauf sich das Modell stützt.</translation>
    </message>
    <message>
        <source>Me&amp;thod:</source>
        <translation>&amp;Methode:</translation>
    </message>
    <message>
        <source>&amp;Layer:</source>
        <translation>Sc&amp;hicht:</translation>
    </message>
    <message>
        <source>Cl&amp;ass:</source>
        <translation>Kl&amp;asse:</translation>
    </message>
    <message>
        <source>O&amp;pacity:</source>
        <translation>&amp;Deckkraft:</translation>
    </message>
    <message>
        <source>&amp;Colours:</source>
        <translation>Farb&amp;en:</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (Standard)</translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation>Vorhergesagte Klasse</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>Wahre Klasse</translation>
    </message>
    <message>
        <source>True class (%1)</source>
        <translation>Wahre Klasse (%1)</translation>
    </message>
    <message>
        <source>class %1</source>
        <translation>Klasse %1</translation>
    </message>
    <message>
        <source>Select an image to see where the model looks.</source>
        <translation>Ein Bild auswählen, um zu sehen, wohin das Modell schaut.</translation>
    </message>
    <message>
        <source>Prediction: —</source>
        <translation>Vorhersage: —</translation>
    </message>
    <message>
        <source>Predicted &lt;b&gt;%1&lt;/b&gt; %2</source>
        <translation>Vorhergesagt &lt;b&gt;%1&lt;/b&gt; %2</translation>
    </message>
    <message>
        <source>explaining &lt;b&gt;%1&lt;/b&gt; %2</source>
        <translation>erklärt wird &lt;b&gt;%1&lt;/b&gt; %2</translation>
    </message>
    <message>
        <source>Deletion score %1</source>
        <translation>Deletion-Score %1</translation>
    </message>
    <message>
        <source>No deletion score</source>
        <translation>Kein Deletion-Score</translation>
    </message>
</context>
<context>
    <name>salient::ImageDetails</name>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>Zu prüfen</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Split:</source>
        <translation>Split:</translation>
    </message>
    <message>
        <source>Labels:</source>
        <translation>Labels:</translation>
    </message>
    <message>
        <source>Problem:</source>
        <translation>Problem:</translation>
    </message>
    <message>
        <source>%1 × %2 px, %3</source>
        <translation>%1 × %2 px, %3</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2-bit, %n channel(s)</source>
        <translation>
            <numerusform>%1, %2 Bit, %n Kanal</numerusform>
            <numerusform>%1, %2 Bit, %n Kanäle</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>unlabelled</source>
        <translation>ohne Label</translation>
    </message>
    <message>
        <source>No preview yet</source>
        <translation>Noch keine Vorschau</translation>
    </message>
    <message>
        <source>Unreadable</source>
        <translation>Unlesbar</translation>
    </message>
    <message>
        <source>No image selected</source>
        <translation>Kein Bild gewählt</translation>
    </message>
</context>
<context>
    <name>salient::ImageListModel</name>
    <message>
        <source>%1 × %2 px, %3</source>
        <translation>%1 × %2 px, %3</translation>
    </message>
    <message>
        <source>No labels</source>
        <translation>Keine Labels</translation>
    </message>
    <message>
        <source>Labels: %1</source>
        <translation>Labels: %1</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <source>Split: %1</source>
        <translation>Split: %1</translation>
    </message>
    <message>
        <source>Unreadable: %1</source>
        <translation>Unlesbar: %1</translation>
    </message>
</context>
<context>
    <name>salient::ImageViewer</name>
    <message>
        <source>This file cannot be read.</source>
        <translation>Diese Datei kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>%1: could not be decoded</source>
        <translation>%1: konnte nicht dekodiert werden</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>Kein Bild</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>This image cannot be shown</source>
        <translation>Dieses Bild kann nicht angezeigt werden</translation>
    </message>
    <message>
        <source>%1 — %2 × %3 — %4%</source>
        <translation>%1 — %2 × %3 — %4 %</translation>
    </message>
</context>
<context>
    <name>salient::ImportReportDialog</name>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message numerus="yes">
        <source>Added %n image(s)</source>
        <translation>
            <numerusform>%n Bild hinzugefügt</numerusform>
            <numerusform>%n Bilder hinzugefügt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> of %n found</source>
        <translation>
            <numerusform> von %n gefundenen</numerusform>
            <numerusform> von %n gefundenen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n already in the project</source>
        <translation>
            <numerusform>; %n bereits im Projekt</numerusform>
            <numerusform>; %n bereits im Projekt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n unreadable</source>
        <translation>
            <numerusform>; %n unlesbar</numerusform>
            <numerusform>; %n unlesbar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n duplicate(s)</source>
        <translation>
            <numerusform>; %n Duplikat</numerusform>
            <numerusform>; %n Duplikate</numerusform>
        </translation>
    </message>
    <message>
        <source>The import was cancelled; what was added so far is kept.</source>
        <translation>Der Import wurde abgebrochen; was bis dahin hinzugefügt wurde, bleibt erhalten.</translation>
    </message>
    <message>
        <source>Import Report</source>
        <translation>Importbericht</translation>
    </message>
    <message>
        <source>Took %1 s.</source>
        <translation>Dauer: %1 s.</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Unreadable (%1)</source>
        <translation>Unlesbar (%1)</translation>
    </message>
    <message>
        <source>Same content as</source>
        <translation>Gleicher Inhalt wie</translation>
    </message>
    <message>
        <source>Duplicates (%1)</source>
        <translation>Duplikate (%1)</translation>
    </message>
</context>
<context>
    <name>salient::MainWindow</name>
    <message>
        <source>Salient Studio</source>
        <translation>Salient Studio</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Klassen</translation>
    </message>
    <message>
        <source>Image Details</source>
        <translation>Bilddetails</translation>
    </message>
    <message>
        <source>Thumbnail size</source>
        <translation>Vorschaugröße</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Projekt ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Import &amp;Images…</source>
        <translation>&amp;Bilder importieren…</translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <source>Import &amp;Folder…</source>
        <translation>&amp;Ordner importieren…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+I</source>
        <translation>Ctrl+Shift+I</translation>
    </message>
    <message>
        <source>&amp;Close Project</source>
        <translation>Projekt &amp;schließen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>&amp;Alles auswählen</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation>&amp;Einpassen</translation>
    </message>
    <message>
        <source>Actual &amp;Size</source>
        <translation>&amp;Originalgröße</translation>
    </message>
    <message>
        <source>Open &amp;Image</source>
        <translation>Bild ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Open the current image large (Enter)</source>
        <translation>Das aktuelle Bild groß öffnen (Eingabe)</translation>
    </message>
    <message>
        <source>&amp;Back to Grid</source>
        <translation>&amp;Zurück zum Raster</translation>
    </message>
    <message>
        <source>Class %1</source>
        <translation>Klasse %1</translation>
    </message>
    <message>
        <source>&amp;Clear Labels</source>
        <translation>Labels &amp;löschen</translation>
    </message>
    <message>
        <source>&amp;Single Label per Image</source>
        <translation>&amp;Ein Label pro Bild</translation>
    </message>
    <message>
        <source>&amp;Multiple Labels per Image</source>
        <translation>&amp;Mehrere Labels pro Bild</translation>
    </message>
    <message>
        <source>Label Mode</source>
        <translation>Label-Modus</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>In Progress</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Needs Review</source>
        <translation>Zu prüfen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Label</source>
        <translation>&amp;Label</translation>
    </message>
    <message>
        <source>Set &amp;Status</source>
        <translation>&amp;Status setzen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About Salient Studio</source>
        <translation>&amp;Über Salient Studio</translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Rückgängig: %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>&amp;Wiederholen: %1</translation>
    </message>
    <message>
        <source>Assign “%1”</source>
        <translation>„%1“ zuweisen</translation>
    </message>
    <message>
        <source>Assign Class %1</source>
        <translation>Klasse %1 zuweisen</translation>
    </message>
    <message>
        <source>%1 of %2 shown  ·  %3 labelled  ·  %4 unreadable  ·  %5 selected</source>
        <translation>%1 von %2 angezeigt  ·  %3 mit Label  ·  %4 unlesbar  ·  %5 ausgewählt</translation>
    </message>
    <message>
        <source>No class has the key %1.</source>
        <translation>Keine Klasse hat die Taste %1.</translation>
    </message>
    <message>
        <source>Select images first.</source>
        <translation>Bitte zuerst Bilder auswählen.</translation>
    </message>
    <message numerus="yes">
        <source>Labelled %n image(s) “%1”.</source>
        <translation>
            <numerusform>%n Bild mit „%1“ gelabelt.</numerusform>
            <numerusform>%n Bilder mit „%1“ gelabelt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>Bild öffnen</translation>
    </message>
    <message>
        <source>Enter, double-click</source>
        <translation>Eingabe, Doppelklick</translation>
    </message>
    <message>
        <source>Open the image large</source>
        <translation>Das Bild groß öffnen</translation>
    </message>
    <message>
        <source>Left / Right</source>
        <translation>Links / Rechts</translation>
    </message>
    <message>
        <source>Previous / next image in the large view</source>
        <translation>Vorheriges / nächstes Bild in der Großansicht</translation>
    </message>
    <message>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <source>Rename the selected class</source>
        <translation>Die gewählte Klasse umbenennen</translation>
    </message>
    <message>
        <source>About Salient Studio</source>
        <translation>Über Salient Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Salient Studio %1&lt;/h3&gt;&lt;p&gt;Label images, fine-tune CNNs and review Grad-CAM explanations.&lt;/p&gt;&lt;p&gt;Licensed under the GNU GPL, version 3 or later.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Salient Studio %1&lt;/h3&gt;&lt;p&gt;Bilder labeln, CNNs feinabstimmen und Grad-CAM-Erklärungen prüfen.&lt;/p&gt;&lt;p&gt;Lizenziert unter der GNU GPL, Version 3 oder später.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>An import is running. Stop it and quit? What was imported so far is kept.</source>
        <translation>Ein Import läuft. Abbrechen und beenden? Was bis dahin importiert wurde, bleibt erhalten.</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>Wait for the import to finish first.</source>
        <translation>Bitte warten, bis der Import fertig ist.</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>%1 — Salient Studio</source>
        <translation>%1 — Salient Studio</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>Salient projects (*.salient)</source>
        <translation>Salient-Projekte (*.salient)</translation>
    </message>
    <message>
        <source>Import Images</source>
        <translation>Bilder importieren</translation>
    </message>
    <message>
        <source>Images (%1)</source>
        <translation>Bilder (%1)</translation>
    </message>
    <message>
        <source>Import Folder</source>
        <translation>Ordner importieren</translation>
    </message>
    <message>
        <source>Use subfolder names as classes</source>
        <translation>Unterordnernamen als Klassen verwenden</translation>
    </message>
    <message>
        <source>ImageFolder layout: images in cats/ get the class “cats”</source>
        <translation>ImageFolder-Aufbau: Bilder in cats/ erhalten die Klasse „cats“</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Suche Dateien…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Importing %1 of %2
%3</source>
        <translation>Importiere %1 von %2
%3</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Importiere…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Create or open a project first, then drop images on it.</source>
        <translation>Zuerst ein Projekt anlegen oder öffnen, dann Bilder darauf ziehen.</translation>
    </message>
    <message>
        <source>Annotate</source>
        <translation>Annotieren</translation>
    </message>
    <message>
        <source>&amp;Annotate</source>
        <translation>&amp;Annotieren</translation>
    </message>
    <message>
        <source>Draw boxes, polygons and masks on the current image (Ctrl+Enter)</source>
        <translation>Rechtecke, Polygone und Masken auf dem aktuellen Bild zeichnen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>This is the first image shown.</source>
        <translation>Dies ist das erste angezeigte Bild.</translation>
    </message>
    <message>
        <source>This is the last image shown.</source>
        <translation>Dies ist das letzte angezeigte Bild.</translation>
    </message>
    <message>
        <source>Annotate: tools</source>
        <translation>Annotieren: Werkzeuge</translation>
    </message>
    <message>
        <source>Wheel</source>
        <translation>Mausrad</translation>
    </message>
    <message>
        <source>Zoom around the cursor (Shift+wheel pans)</source>
        <translation>Um den Mauszeiger zoomen (Umschalt+Mausrad verschiebt)</translation>
    </message>
    <message>
        <source>Space+drag, middle drag</source>
        <translation>Leertaste+Ziehen, Ziehen mit mittlerer Taste</translation>
    </message>
    <message>
        <source>Pan</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <source>Browser and image view</source>
        <translation>Browser und Bildansicht</translation>
    </message>
    <message>
        <source>Ctrl+Alt+I</source>
        <translation>Ctrl+Alt+I</translation>
    </message>
    <message>
        <source>Import &amp;Dataset…</source>
        <translation>&amp;Datensatz importieren…</translation>
    </message>
    <message>
        <source>Import images with their annotations from COCO, VOC, YOLO, labelme, ImageFolder or CSV</source>
        <translation>Bilder mit ihren Annotationen aus COCO, VOC, YOLO, labelme, ImageFolder oder CSV importieren</translation>
    </message>
    <message>
        <source>&amp;Export Dataset…</source>
        <translation>Datensatz &amp;exportieren…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>Write the project&apos;s images and annotations in a dataset format other tools read</source>
        <translation>Bilder und Annotationen des Projekts in einem Datensatzformat schreiben, das andere Werkzeuge lesen</translation>
    </message>
    <message>
        <source>Import Dataset</source>
        <translation>Datensatz importieren</translation>
    </message>
    <message>
        <source>Class Balance</source>
        <translation>Klassenverteilung</translation>
    </message>
    <message>
        <source>Augmentation Preview</source>
        <translation>Augmentierungsvorschau</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Close Project</source>
        <translation>Projekt schließen</translation>
    </message>
    <message>
        <source>A training run is going on. Stop it? It is saved with a checkpoint and can be resumed from the Runs list.</source>
        <translation>Ein Trainingslauf ist im Gange. Anhalten? Er wird mit einem Checkpoint gespeichert und kann in der Liste „Läufe“ fortgesetzt werden.</translation>
    </message>
    <message>
        <source>Stopping the training run and saving a checkpoint…</source>
        <translation>Der Trainingslauf wird angehalten und ein Checkpoint gespeichert …</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Begutachtung</translation>
    </message>
    <message>
        <source>the review</source>
        <translation>der Begutachtung</translation>
    </message>
    <message>
        <source>Correct the label of %1 (Ctrl+Z undoes it); the review follows.</source>
        <translation>Label von %1 korrigieren (Strg+Z macht es rückgängig); die Begutachtung übernimmt es.</translation>
    </message>
    <message>
        <source>&amp;Export Model…</source>
        <translation>Modell &amp;exportieren…</translation>
    </message>
    <message>
        <source>Export a finished run as ONNX (optionally int8 or pruned) or LibTorch, checked against the run&apos;s own model</source>
        <translation>Einen abgeschlossenen Lauf als ONNX (wahlweise int8 oder ausgedünnt) oder LibTorch exportieren, geprüft am eigenen Modell des Laufs</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <source>Export the selected finished run as a model file</source>
        <translation>Den gewählten abgeschlossenen Lauf als Modelldatei exportieren</translation>
    </message>
    <message>
        <source>&amp;Try a Model File…</source>
        <translation>Modelldatei &amp;ausprobieren…</translation>
    </message>
    <message>
        <source>Open an exported .onnx or LibTorch file and see what it predicts for images</source>
        <translation>Eine exportierte .onnx- oder LibTorch-Datei öffnen und sehen, was sie für Bilder vorhersagt</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Modell</translation>
    </message>
    <message>
        <source>This build cannot export models</source>
        <translation>Diese Version kann keine Modelle exportieren</translation>
    </message>
    <message>
        <source>No finished run to export</source>
        <translation>Kein abgeschlossener Lauf zum Exportieren</translation>
    </message>
    <message>
        <source>Export Model</source>
        <translation>Modell exportieren</translation>
    </message>
    <message>
        <source>Model exported to %1</source>
        <translation>Modell nach %1 exportiert</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>%1 is open read-only: nothing can be added or changed. Close it in the other program, then open it again here to edit it.</source>
        <translation>%1 ist schreibgeschützt geöffnet: Es kann nichts hinzugefügt oder geändert werden. Schließen Sie das Projekt im anderen Programm und öffnen Sie es hier erneut, um es zu bearbeiten.</translation>
    </message>
    <message>
        <source>%1 (pid %2 on host %3)</source>
        <translation>%1 (PID %2 auf Rechner %3)</translation>
    </message>
    <message>
        <source>another program</source>
        <translation>einem anderen Programm</translation>
    </message>
    <message>
        <source>%1 is open in %2.

Open it read-only? You can look at everything, but no change will be saved. Cancel leaves it closed.

If no program has it open there, delete %3 and open it again.</source>
        <translation>%1 ist in %2 geöffnet.

Schreibgeschützt öffnen? Sie können alles ansehen, aber keine Änderung wird gespeichert. Mit Abbrechen bleibt es geschlossen.

Wenn dort kein Programm das Projekt geöffnet hat, löschen Sie %3 und öffnen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1 (read-only) — Salient Studio</source>
        <translation>%1 (schreibgeschützt) — Salient Studio</translation>
    </message>
    <message>
        <source>Read-only: you can look at everything, but no change is saved.</source>
        <translation>Schreibgeschützt: Sie können alles ansehen, aber keine Änderung wird gespeichert.</translation>
    </message>
</context>
<context>
    <name>salient::ModelTryDialog</name>
    <message>
        <source>Try a Model File</source>
        <translation>Modelldatei ausprobieren</translation>
    </message>
    <message>
        <source>An .onnx file or a LibTorch export (.pt)</source>
        <translation>Eine .onnx-Datei oder ein LibTorch-Export (.pt)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Model file:</source>
        <translation>&amp;Modelldatei:</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Top classes per image:</source>
        <translation>Wahrscheinlichste Klassen je Bild:</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>What the file says about itself</source>
        <translation>Was die Datei über sich sagt</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>Architektur:</translation>
    </message>
    <message>
        <source>Classes:</source>
        <translation>Klassen:</translation>
    </message>
    <message>
        <source>Input:</source>
        <translation>Eingabe:</translation>
    </message>
    <message>
        <source>Normalisation:</source>
        <translation>Normalisierung:</translation>
    </message>
    <message>
        <source>Runs with:</source>
        <translation>Läuft mit:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Grad-CAM output:</source>
        <translation>Grad-CAM-Ausgabe:</translation>
    </message>
    <message>
        <source>Trained as:</source>
        <translation>Trainiert als:</translation>
    </message>
    <message>
        <source>Exported:</source>
        <translation>Exportiert:</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>&amp;Add Images…</source>
        <translation>Bilder &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Use &amp;Current Image</source>
        <translation>&amp;Aktuelles Bild verwenden</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Leeren</translation>
    </message>
    <message>
        <source>top </source>
        <translation>Top </translation>
    </message>
    <message>
        <source>&amp;Predict</source>
        <translation>&amp;Vorhersagen</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>No image is open in the studio</source>
        <translation>Im Studio ist kein Bild geöffnet</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>Predicting 1 image…</source>
        <translation>1 Bild wird vorhergesagt…</translation>
    </message>
    <message>
        <source>Predicting %1 images…</source>
        <translation>%1 Bilder werden vorhergesagt…</translation>
    </message>
    <message>
        <source>Open Model File</source>
        <translation>Modelldatei öffnen</translation>
    </message>
    <message>
        <source>Exported models (*.onnx *.pt);;All files (*)</source>
        <translation>Exportierte Modelle (*.onnx *.pt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose Images</source>
        <translation>Bilder wählen</translation>
    </message>
    <message>
        <source>Images (%1)</source>
        <translation>Bilder (%1)</translation>
    </message>
    <message>
        <source>Open a model file first</source>
        <translation>Öffnen Sie zuerst eine Modelldatei</translation>
    </message>
    <message>
        <source>Add images to predict</source>
        <translation>Fügen Sie Bilder zum Vorhersagen hinzu</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 and %2 more</source>
        <translation>%1 und %2 weitere</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source> (multi-label)</source>
        <translation> (Mehrfachlabel)</translation>
    </message>
    <message>
        <source>%1 × %1 RGB</source>
        <translation>%1 × %1 RGB</translation>
    </message>
    <message>
        <source>built in: feed raw 0–255 pixels</source>
        <translation>eingebaut: rohe Pixel 0–255 übergeben</translation>
    </message>
    <message>
        <source>mean %1 / %2 / %3
std %4 / %5 / %6</source>
        <translation>Mittelwert %1 / %2 / %3
Standardabw. %4 / %5 / %6</translation>
    </message>
    <message>
        <source>ONNX, int8</source>
        <translation>ONNX, int8</translation>
    </message>
    <message>
        <source>ONNX, full precision</source>
        <translation>ONNX, volle Genauigkeit</translation>
    </message>
    <message>
        <source>LibTorch</source>
        <translation>LibTorch</translation>
    </message>
    <message>
        <source>, pruned to %1 zero weights</source>
        <translation>, ausgedünnt auf %1 Null-Gewichte</translation>
    </message>
    <message>
        <source>yes, &quot;features&quot; from %1</source>
        <translation>ja, „features“ aus %1</translation>
    </message>
    <message>
        <source>the last block</source>
        <translation>dem letzten Block</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source> (run #%1)</source>
        <translation> (Lauf #%1)</translation>
    </message>
    <message>
        <source> in %1</source>
        <translation> in %1</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> von %1</translation>
    </message>
    <message>
        <source>class %1</source>
        <translation>Klasse %1</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>1 image could not be predicted; the reason is in its row.</source>
        <translation>1 Bild konnte nicht vorhergesagt werden; der Grund steht in seiner Zeile.</translation>
    </message>
    <message>
        <source>%1 images could not be predicted; the reason is in their rows.</source>
        <translation>%1 Bilder konnten nicht vorhergesagt werden; der Grund steht in ihren Zeilen.</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Angehalten.</translation>
    </message>
    <message>
        <source>Could not open the model: %1</source>
        <translation>Das Modell konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Prediction failed: %1</source>
        <translation>Die Vorhersage ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>salient::PolygonTool</name>
    <message>
        <source>Polygon</source>
        <translation>Polygon</translation>
    </message>
    <message>
        <source>Click</source>
        <translation>Klick</translation>
    </message>
    <message>
        <source>Polygon: add a vertex</source>
        <translation>Polygon: Eckpunkt hinzufügen</translation>
    </message>
    <message>
        <source>, double-click</source>
        <translation>, Doppelklick</translation>
    </message>
    <message>
        <source>Polygon: close the polygon</source>
        <translation>Polygon: Polygon schließen</translation>
    </message>
    <message>
        <source>Polygon: remove the last vertex</source>
        <translation>Polygon: letzten Eckpunkt entfernen</translation>
    </message>
    <message>
        <source>Polygon: drop the polygon being drawn</source>
        <translation>Polygon: das begonnene Polygon verwerfen</translation>
    </message>
</context>
<context>
    <name>salient::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source> MP</source>
        <translation> MP</translation>
    </message>
    <message>
        <source>Largest image (megapixels):</source>
        <translation>Größtes Bild (Megapixel):</translation>
    </message>
    <message>
        <source>Larger images are refused before they are decoded, so that a damaged or hostile file cannot use up the memory. A colour image needs about 3 MB per megapixel.</source>
        <translation>Größere Bilder werden vor dem Dekodieren abgelehnt, damit eine beschädigte oder bösartige Datei nicht den ganzen Speicher belegen kann. Ein Farbbild braucht etwa 3 MB je Megapixel.</translation>
    </message>
</context>
<context>
    <name>salient::ProblemTable</name>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Stelle</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>The first %1 of %2 are shown; Copy copies all.</source>
        <translation>Die ersten %1 von %2 werden gezeigt; Kopieren kopiert alle.</translation>
    </message>
    <message>
        <source>&amp;Copy All</source>
        <translation>Alle &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy every line to the clipboard</source>
        <translation>Jede Zeile in die Zwischenablage kopieren</translation>
    </message>
</context>
<context>
    <name>salient::ProblemsDialog</name>
    <message>
        <source>Problems in the Dataset</source>
        <translation>Probleme im Datensatz</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) of the dataset cannot be imported as they are. Skip them and import the rest, or abort and leave the project unchanged.</source>
        <translation>
            <numerusform>%n Eintrag des Datensatzes kann so nicht importiert werden. Überspringen und den Rest importieren, oder abbrechen und das Projekt unverändert lassen.</numerusform>
            <numerusform>%n Einträge des Datensatzes können so nicht importiert werden. Überspringen und den Rest importieren, oder abbrechen und das Projekt unverändert lassen.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Skip These Items and Import the Rest</source>
        <translation>Diese Einträge über&amp;springen und den Rest importieren</translation>
    </message>
    <message>
        <source>&amp;Abort Import (Change Nothing)</source>
        <translation>Import &amp;abbrechen (nichts ändern)</translation>
    </message>
</context>
<context>
    <name>salient::RecipeEditor</name>
    <message>
        <source>Rotate</source>
        <translation>Drehen</translation>
    </message>
    <message>
        <source>Random resized crop</source>
        <translation>Zufälliger skalierter Ausschnitt</translation>
    </message>
    <message>
        <source>Resize</source>
        <translation>Skalieren</translation>
    </message>
    <message>
        <source>Colour jitter</source>
        <translation>Farbvariation</translation>
    </message>
    <message>
        <source>Horizontal flip</source>
        <translation>Horizontal spiegeln</translation>
    </message>
    <message>
        <source>Vertical flip</source>
        <translation>Vertikal spiegeln</translation>
    </message>
    <message>
        <source>Affine (translate, scale, shear)</source>
        <translation>Affin (verschieben, skalieren, scheren)</translation>
    </message>
    <message>
        <source>Gaussian blur</source>
        <translation>Gaußsche Unschärfe</translation>
    </message>
    <message>
        <source>Gaussian noise</source>
        <translation>Gaußsches Rauschen</translation>
    </message>
    <message>
        <source>Random erasing (cutout)</source>
        <translation>Zufälliges Löschen (Cutout)</translation>
    </message>
    <message>
        <source>Normalise (training only)</source>
        <translation>Normalisieren (nur beim Training)</translation>
    </message>
    <message>
        <source>Natural photos</source>
        <translation>Natürliche Fotos</translation>
    </message>
    <message>
        <source>Medical images</source>
        <translation>Medizinische Bilder</translation>
    </message>
    <message>
        <source>Documents and text</source>
        <translation>Dokumente und Text</translation>
    </message>
    <message>
        <source>Aerial and satellite</source>
        <translation>Luft- und Satellitenbilder</translation>
    </message>
    <message>
        <source>Add a transform…</source>
        <translation>Transformation hinzufügen…</translation>
    </message>
    <message>
        <source>Images are:</source>
        <translation>Bilder sind:</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
</context>
<context>
    <name>salient::ReviewDelegate</name>
    <message>
        <source>no label</source>
        <translation>kein Label</translation>
    </message>
    <message>
        <source>true: %1</source>
        <translation>wahr: %1</translation>
    </message>
    <message>
        <source>Predicted: %1 (%2)</source>
        <translation>Vorhergesagt: %1 (%2)</translation>
    </message>
    <message>
        <source>True: %1</source>
        <translation>Wahr: %1</translation>
    </message>
    <message>
        <source>Deletion score: %1</source>
        <translation>Deletion-Score: %1</translation>
    </message>
    <message>
        <source>Verdict: %1 by %2</source>
        <translation>Urteil: %1 von %2</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Notiz: %1</translation>
    </message>
</context>
<context>
    <name>salient::ReviewPanel</name>
    <message>
        <source>E&amp;xplain All</source>
        <translation>Alle e&amp;rklären</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export &amp;Report…</source>
        <translation>Bericht e&amp;xportieren…</translation>
    </message>
    <message>
        <source>&amp;Misclassified only</source>
        <translation>Nur &amp;falsch klassifizierte</translation>
    </message>
    <message>
        <source>&amp;Fix Label…</source>
        <translation>Label &amp;korrigieren…</translation>
    </message>
    <message>
        <source>Explanations are not part of this build of Salient Studio (it was built without LibTorch). Stored heatmaps are shown and verdicts can be recorded; compute heatmaps with “salient-cli gradcam” on a machine that has it.</source>
        <translation>Erklärungen sind in diesem Build von Salient Studio nicht enthalten (er wurde ohne LibTorch gebaut). Gespeicherte Heatmaps werden angezeigt und Urteile können erfasst werden; Heatmaps mit „salient-cli gradcam“ auf einem Rechner berechnen, der es enthält.</translation>
    </message>
    <message>
        <source>R&amp;un:</source>
        <translation>Trainingsla&amp;uf:</translation>
    </message>
    <message>
        <source>&amp;Images:</source>
        <translation>&amp;Bilder:</translation>
    </message>
    <message>
        <source>Runs with a best checkpoint; the review is kept per run</source>
        <translation>Läufe mit einem besten Checkpoint; die Begutachtung wird je Lauf gespeichert</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Validation and test</source>
        <translation>Validierung und Test</translation>
    </message>
    <message>
        <source>Which of the run&apos;s held-out images to review</source>
        <translation>Welche zurückgehaltenen Bilder des Laufs begutachtet werden</translation>
    </message>
    <message>
        <source>Compute and store the heatmaps of every image shown by this role in the background (method and layer as chosen)</source>
        <translation>Die Heatmaps aller Bilder dieser Rolle im Hintergrund berechnen und speichern (Methode und Schicht wie gewählt)</translation>
    </message>
    <message>
        <source>Write an HTML or PDF report with thumbnails, heatmaps, verdicts and notes to hand to others</source>
        <translation>Einen HTML- oder PDF-Bericht mit Vorschaubildern, Heatmaps, Urteilen und Notizen zur Weitergabe schreiben</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Only images whose prediction differs from the truth (M)</source>
        <translation>Nur Bilder, deren Vorhersage von der Wahrheit abweicht (M)</translation>
    </message>
    <message>
        <source>Only images predicted with at most this confidence</source>
        <translation>Nur Bilder, die mit höchstens dieser Konfidenz vorhergesagt wurden</translation>
    </message>
    <message>
        <source>Only images whose truth or prediction is this class</source>
        <translation>Nur Bilder, deren Wahrheit oder Vorhersage diese Klasse ist</translation>
    </message>
    <message>
        <source>Any verdict</source>
        <translation>Jedes Urteil</translation>
    </message>
    <message>
        <source>Image order</source>
        <translation>Bildreihenfolge</translation>
    </message>
    <message>
        <source>Least confident first</source>
        <translation>Geringste Konfidenz zuerst</translation>
    </message>
    <message>
        <source>Most confident first</source>
        <translation>Höchste Konfidenz zuerst</translation>
    </message>
    <message>
        <source>Highest deletion score first</source>
        <translation>Höchster Deletion-Score zuerst</translation>
    </message>
    <message>
        <source>A high deletion score: the heatmap may miss what the model uses</source>
        <translation>Ein hoher Deletion-Score: Die Heatmap verfehlt womöglich, was das Modell nutzt</translation>
    </message>
    <message>
        <source>Confidence ≤</source>
        <translation>Konfidenz ≤</translation>
    </message>
    <message>
        <source>&amp;Sort:</source>
        <translation>&amp;Sortierung:</translation>
    </message>
    <message>
        <source>The model looks at the right evidence</source>
        <translation>Das Modell schaut auf die richtigen Hinweise</translation>
    </message>
    <message>
        <source>The model looks at the wrong region</source>
        <translation>Das Modell schaut auf den falschen Bereich</translation>
    </message>
    <message>
        <source>The model relies on an artefact: a ruler, marker, text, border…</source>
        <translation>Das Modell stützt sich auf ein Artefakt: Lineal, Markierung, Text, Rand…</translation>
    </message>
    <message>
        <source>Cannot tell</source>
        <translation>Nicht zu entscheiden</translation>
    </message>
    <message>
        <source>Remove the verdict</source>
        <translation>Das Urteil entfernen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Note (N); Enter saves, Esc reverts</source>
        <translation>Notiz (N); Eingabe speichert, Esc verwirft</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>Begutachter(in)</translation>
    </message>
    <message>
        <source>Your name, stored with each verdict:</source>
        <translation>Ihr Name, der mit jedem Urteil gespeichert wird:</translation>
    </message>
    <message>
        <source>Open this image in the annotate view to correct its label (with undo); the gallery follows</source>
        <translation>Dieses Bild in der Annotationsansicht öffnen, um sein Label zu korrigieren (mit Rückgängig); die Galerie übernimmt es</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <source>Plaus.</source>
        <translation>Plaus.</translation>
    </message>
    <message>
        <source>Spur.</source>
        <translation>Fehlg.</translation>
    </message>
    <message>
        <source>Short.</source>
        <translation>Abk.</translation>
    </message>
    <message>
        <source>Unsure</source>
        <translation>Unsicher</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Not reviewed yet</source>
        <translation>Noch nicht begutachtet</translation>
    </message>
    <message>
        <source>Validation and test images of the class</source>
        <translation>Validierungs- und Testbilder der Klasse</translation>
    </message>
    <message>
        <source>Verdicts per class (by truth) for this run</source>
        <translation>Urteile je Klasse (nach Wahrheit) für diesen Lauf</translation>
    </message>
    <message>
        <source>&lt;b&gt;Verdicts per class&lt;/b&gt;</source>
        <translation>&lt;b&gt;Urteile je Klasse&lt;/b&gt;</translation>
    </message>
    <message>
        <source>%1 (#%2, best epoch %3)</source>
        <translation>%1 (#%2, beste Epoche %3)</translation>
    </message>
    <message>
        <source>No trained run yet</source>
        <translation>Noch kein trainierter Lauf</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>Kein Projekt geöffnet</translation>
    </message>
    <message>
        <source>Any class</source>
        <translation>Jede Klasse</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Images shown of the run&apos;s validation and test images</source>
        <translation>Angezeigte Bilder von den Validierungs- und Testbildern des Laufs</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierungs</translation>
    </message>
    <message>
        <source>No image matches the filters.</source>
        <translation>Kein Bild passt zu den Filtern.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; &lt;span style=&apos;color:gray&apos;&gt;(%2 image)&lt;/span&gt;&lt;br&gt;True: &lt;b&gt;%3&lt;/b&gt;&lt;br&gt;Predicted: &lt;b style=&apos;color:%4&apos;&gt;%5&lt;/b&gt; %6 %</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; &lt;span style=&apos;color:gray&apos;&gt;(%2bild)&lt;/span&gt;&lt;br&gt;Wahr: &lt;b&gt;%3&lt;/b&gt;&lt;br&gt;Vorhergesagt: &lt;b style=&apos;color:%4&apos;&gt;%5&lt;/b&gt; %6 %</translation>
    </message>
    <message>
        <source>no label</source>
        <translation>kein Label</translation>
    </message>
    <message>
        <source>%1 cannot be decoded.</source>
        <translation>%1 kann nicht dekodiert werden.</translation>
    </message>
    <message>
        <source>No stored heatmap for this image with this method and layer.</source>
        <translation>Keine gespeicherte Heatmap für dieses Bild mit dieser Methode und Schicht.</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <source>Explaining…</source>
        <translation>Wird erklärt…</translation>
    </message>
    <message>
        <source>Your name, stored with each verdict you record:</source>
        <translation>Ihr Name, der mit jedem erfassten Urteil gespeichert wird:</translation>
    </message>
    <message>
        <source>Reviewer: not set · &lt;a href=&apos;#&apos;&gt;set…&lt;/a&gt;</source>
        <translation>Begutachter(in): nicht festgelegt · &lt;a href=&apos;#&apos;&gt;festlegen…&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Reviewer: &lt;b&gt;%1&lt;/b&gt; · &lt;a href=&apos;#&apos;&gt;change…&lt;/a&gt;</source>
        <translation>Begutachter(in): &lt;b&gt;%1&lt;/b&gt; · &lt;a href=&apos;#&apos;&gt;ändern…&lt;/a&gt;</translation>
    </message>
    <message>
        <source>A verdict is stored with the reviewer&apos;s name: set it first.</source>
        <translation>Ein Urteil wird mit dem Namen der begutachtenden Person gespeichert: zuerst den Namen festlegen.</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Begutachtung</translation>
    </message>
    <message>
        <source>%1: verdict cleared.</source>
        <translation>%1: Urteil entfernt.</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>%1: %2.</translation>
    </message>
    <message>
        <source>A note is stored with the reviewer&apos;s name: set it first.</source>
        <translation>Eine Notiz wird mit dem Namen der begutachtenden Person gespeichert: zuerst den Namen festlegen.</translation>
    </message>
    <message>
        <source>Next image after a verdict</source>
        <translation>Nach einem Urteil zum nächsten Bild</translation>
    </message>
    <message>
        <source>Note saved.</source>
        <translation>Notiz gespeichert.</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>This is the first image shown.</source>
        <translation>Das ist das erste angezeigte Bild.</translation>
    </message>
    <message>
        <source>This is the last image shown.</source>
        <translation>Das ist das letzte angezeigte Bild.</translation>
    </message>
    <message>
        <source>Explaining %1 images…</source>
        <translation>%1bilder werden erklärt…</translation>
    </message>
    <message>
        <source>%1 images: %2 of %3</source>
        <translation>%1bilder: %2 von %3</translation>
    </message>
    <message numerus="yes">
        <source>Stopped: %n heatmap(s) stored.</source>
        <translation>
            <numerusform>Angehalten: %n Heatmap gespeichert.</numerusform>
            <numerusform>Angehalten: %n Heatmaps gespeichert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Explained all: %n heatmap(s) stored.</source>
        <translation>
            <numerusform>Alle erklärt: %n Heatmap gespeichert.</numerusform>
            <numerusform>Alle erklärt: %n Heatmaps gespeichert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Review Report</source>
        <translation>Begutachtungsbericht exportieren</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf)</source>
        <translation>HTML-Bericht (*.html);;PDF-Bericht (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Bericht wird geschrieben…</translation>
    </message>
    <message>
        <source>Writing the report: %1 of %2</source>
        <translation>Bericht wird geschrieben: %1 von %2</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>Bericht geschrieben nach %1</translation>
    </message>
    <message>
        <source>This project is open read-only (another program has it open): heatmaps cannot be stored.</source>
        <translation>Dieses Projekt ist schreibgeschützt geöffnet (ein anderes Programm hat es offen): Heatmaps können nicht gespeichert werden.</translation>
    </message>
</context>
<context>
    <name>salient::RunCompareDialog</name>
    <message>
        <source>Only rows that differ</source>
        <translation>Nur Zeilen mit Unterschieden</translation>
    </message>
    <message>
        <source>Compare Runs</source>
        <translation>Läufe vergleichen</translation>
    </message>
    <message>
        <source>Validation macro-F1 per epoch</source>
        <translation>Validierungs-Makro-F1 je Epoche</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Epochs done</source>
        <translation>Fertige Epochen</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Klassen</translation>
    </message>
    <message>
        <source>Best epoch</source>
        <translation>Beste Epoche</translation>
    </message>
    <message>
        <source>Validation accuracy (best)</source>
        <translation>Validierungsgenauigkeit (beste)</translation>
    </message>
    <message>
        <source>Validation macro-F1 (best)</source>
        <translation>Validierungs-Makro-F1 (beste)</translation>
    </message>
    <message>
        <source>Validation loss (best)</source>
        <translation>Validierungsverlust (beste)</translation>
    </message>
    <message>
        <source>Test accuracy</source>
        <translation>Testgenauigkeit</translation>
    </message>
    <message>
        <source>Test macro-F1</source>
        <translation>Test-Makro-F1</translation>
    </message>
    <message>
        <source>Test macro AUC</source>
        <translation>Test-Makro-AUC</translation>
    </message>
    <message>
        <source>Test calibration error</source>
        <translation>Test-Kalibrierungsfehler</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>Run %1 (%2)</source>
        <translation>Lauf %1 (%2)</translation>
    </message>
</context>
<context>
    <name>salient::RunListModel</name>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Best epoch</source>
        <translation>Beste Epoche</translation>
    </message>
    <message>
        <source>Val. accuracy</source>
        <translation>Val.-Genauigkeit</translation>
    </message>
    <message>
        <source>Val. macro-F1</source>
        <translation>Val.-Makro-F1</translation>
    </message>
    <message>
        <source>Test accuracy</source>
        <translation>Testgenauigkeit</translation>
    </message>
    <message>
        <source>Test macro-F1</source>
        <translation>Test-Makro-F1</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
</context>
<context>
    <name>salient::RunsView</name>
    <message>
        <source>Co&amp;mpare</source>
        <translation>&amp;Vergleichen</translation>
    </message>
    <message>
        <source>Show two or more selected runs side by side</source>
        <translation>Zwei oder mehr gewählte Läufe nebeneinander zeigen</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Continue a cancelled or interrupted run from its last checkpoint</source>
        <translation>Einen abgebrochenen oder unterbrochenen Lauf ab seinem letzten Checkpoint fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Delete the selected runs with their checkpoints</source>
        <translation>Die gewählten Läufe mit ihren Checkpoints löschen</translation>
    </message>
    <message>
        <source>Delete Runs</source>
        <translation>Läufe löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s) with their checkpoints and predictions? This cannot be undone.</source>
        <translation>
            <numerusform>%n Lauf mit Checkpoints und Vorhersagen löschen? Das lässt sich nicht rückgängig machen.</numerusform>
            <numerusform>%n Läufe mit Checkpoints und Vorhersagen löschen? Das lässt sich nicht rückgängig machen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salient::SelectTool</name>
    <message>
        <source>Select</source>
        <translation>Auswählen</translation>
    </message>
    <message>
        <source>Click, drag</source>
        <translation>Klick, Ziehen</translation>
    </message>
    <message>
        <source>Select: select a shape and move the selection</source>
        <translation>Auswählen: Form auswählen und Auswahl verschieben</translation>
    </message>
    <message>
        <source>Shift+click, Ctrl+click</source>
        <translation>Umschalt+Klick, Strg+Klick</translation>
    </message>
    <message>
        <source>Select: add to or remove from the selection</source>
        <translation>Auswählen: zur Auswahl hinzufügen oder daraus entfernen</translation>
    </message>
    <message>
        <source>Drag on empty image</source>
        <translation>Ziehen auf freiem Bild</translation>
    </message>
    <message>
        <source>Select: select the shapes inside a rectangle</source>
        <translation>Auswählen: Formen in einem Rechteck auswählen</translation>
    </message>
    <message>
        <source>Drag a handle</source>
        <translation>Griff ziehen</translation>
    </message>
    <message>
        <source>Select: resize a box, move a polygon vertex</source>
        <translation>Auswählen: Rechteckgröße ändern, Polygon-Eckpunkt verschieben</translation>
    </message>
    <message>
        <source>Double-click an edge</source>
        <translation>Doppelklick auf eine Kante</translation>
    </message>
    <message>
        <source>Select: insert a polygon vertex</source>
        <translation>Auswählen: Polygon-Eckpunkt einfügen</translation>
    </message>
    <message>
        <source>Alt+click a vertex</source>
        <translation>Alt+Klick auf einen Eckpunkt</translation>
    </message>
    <message>
        <source>Select: remove the polygon vertex</source>
        <translation>Auswählen: Polygon-Eckpunkt entfernen</translation>
    </message>
    <message>
        <source>Select: remove the active vertex (else the shapes)</source>
        <translation>Auswählen: aktiven Eckpunkt entfernen (sonst die Formen)</translation>
    </message>
    <message>
        <source>Arrow keys</source>
        <translation>Pfeiltasten</translation>
    </message>
    <message>
        <source>Select: nudge by one pixel (with Shift: ten)</source>
        <translation>Auswählen: um ein Pixel verschieben (mit Umschalt: zehn)</translation>
    </message>
    <message numerus="yes">
        <source>Move %n shape(s)</source>
        <translation>
            <numerusform>%n Form verschieben</numerusform>
            <numerusform>%n Formen verschieben</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salient::ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Filter by key or action…</source>
        <translation>Nach Taste oder Aktion filtern…</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>%1 tool</source>
        <translation>Werkzeug %1</translation>
    </message>
</context>
<context>
    <name>salient::StartPage</name>
    <message>
        <source>Salient Studio</source>
        <translation>Salient Studio</translation>
    </message>
    <message>
        <source>Label images, fine-tune CNNs and review what they look at.</source>
        <translation>Bilder labeln, CNNs feinabstimmen und prüfen, worauf sie achten.</translation>
    </message>
    <message>
        <source>New Project…</source>
        <translation>Neues Projekt…</translation>
    </message>
    <message>
        <source>Start an empty project file (.salient)</source>
        <translation>Eine leere Projektdatei anlegen (.salient)</translation>
    </message>
    <message>
        <source>Open Project…</source>
        <translation>Projekt öffnen…</translation>
    </message>
    <message>
        <source>Continue with an existing project</source>
        <translation>Mit einem vorhandenen Projekt weiterarbeiten</translation>
    </message>
    <message>
        <source>Import a Folder…</source>
        <translation>Einen Ordner importieren…</translation>
    </message>
    <message>
        <source>Create a project from a folder of images</source>
        <translation>Ein Projekt aus einem Bilderordner erstellen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent projects&lt;/b&gt;</source>
        <translation>&lt;b&gt;Zuletzt geöffnete Projekte&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>salient::TagBar</name>
    <message>
        <source>Image tags:</source>
        <translation>Bild-Tags:</translation>
    </message>
    <message>
        <source>Labels of the whole image (click a chip to toggle it)</source>
        <translation>Labels des ganzen Bildes (Klick auf einen Chip schaltet ihn um)</translation>
    </message>
    <message>
        <source>Toggle the image tag “%1”</source>
        <translation>Bild-Tag „%1“ umschalten</translation>
    </message>
</context>
<context>
    <name>salient::Thumbnailer</name>
    <message>
        <source>%1: cannot make a thumbnail</source>
        <translation>%1: Vorschaubild kann nicht erstellt werden</translation>
    </message>
    <message>
        <source>empty thumbnail</source>
        <translation>leeres Vorschaubild</translation>
    </message>
</context>
<context>
    <name>salient::TrainingCharts</name>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Accuracy and macro-F1</source>
        <translation>Genauigkeit und Makro-F1</translation>
    </message>
    <message>
        <source>Training (running)</source>
        <translation>Training (laufend)</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>Training accuracy</source>
        <translation>Trainingsgenauigkeit</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>Validierungsgenauigkeit</translation>
    </message>
    <message>
        <source>Validation macro-F1</source>
        <translation>Validierungs-Makro-F1</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>Epoche</translation>
    </message>
</context>
<context>
    <name>salient::TrainingDock</name>
    <message>
        <source>Training is not part of this build of Salient Studio. Build it with LibTorch (cmake -DSALIENT_BUILD_TRAIN=ON), or train with salient-cli on a machine that has it.</source>
        <translation>Training ist in diesem Build von Salient Studio nicht enthalten. Bauen Sie es mit LibTorch (cmake -DSALIENT_BUILD_TRAIN=ON) oder trainieren Sie mit salient-cli auf einem Rechner, der es hat.</translation>
    </message>
    <message>
        <source>Validation (best epoch)</source>
        <translation>Validierung (beste Epoche)</translation>
    </message>
    <message>
        <source>Test split</source>
        <translation>Test-Split</translation>
    </message>
    <message>
        <source>For a finished or selected run; while training, each epoch&apos;s validation is shown</source>
        <translation>Für einen fertigen oder gewählten Lauf; während des Trainings wird die Validierung jeder Epoche gezeigt</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <source>Confusion Matrix</source>
        <translation>Konfusionsmatrix</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Run %1: the matrix fills in when the first epoch is validated.</source>
        <translation>Lauf %1: Die Matrix füllt sich, sobald die erste Epoche validiert ist.</translation>
    </message>
    <message>
        <source>Run %1 · validation after epoch %2%3</source>
        <translation>Lauf %1 · Validierung nach Epoche %2%3</translation>
    </message>
    <message>
        <source> (best so far)</source>
        <translation> (bisher beste)</translation>
    </message>
    <message>
        <source>Run %1 has no validation images: no matrix while it trains.</source>
        <translation>Lauf %1 hat keine Validierungsbilder: keine Matrix während des Trainings.</translation>
    </message>
    <message>
        <source>Training run %1 ended: %2.</source>
        <translation>Trainingslauf %1 beendet: %2.</translation>
    </message>
    <message>
        <source>Run %1 has no test evaluation (no test split, or it has not finished).</source>
        <translation>Lauf %1 hat keine Testauswertung (kein Test-Split, oder er ist nicht fertig).</translation>
    </message>
    <message>
        <source>Run %1 has no validated epoch yet.</source>
        <translation>Lauf %1 hat noch keine validierte Epoche.</translation>
    </message>
    <message>
        <source>Run %1 “%2” · test split, best model</source>
        <translation>Lauf %1 „%2“ · Test-Split, bestes Modell</translation>
    </message>
    <message>
        <source>Run %1 “%2” · validation at the best epoch (%3)</source>
        <translation>Lauf %1 „%2“ · Validierung in der besten Epoche (%3)</translation>
    </message>
    <message>
        <source>No stored predictions for true “%1”, predicted “%2” in run %3 (a run stores them for its best model when it ends).</source>
        <translation>Keine gespeicherten Vorhersagen für wahr „%1“, vorhergesagt „%2“ in Lauf %3 (ein Lauf speichert sie für sein bestes Modell, wenn er endet).</translation>
    </message>
    <message>
        <source>test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>run %1 (%2): true “%3”, predicted “%4”</source>
        <translation>Lauf %1 (%2): wahr „%3“, vorhergesagt „%4“</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
</context>
<context>
    <name>salient::TrainingPanel</name>
    <message>
        <source>Cop&amp;y Log</source>
        <translation>Protokoll &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the messages shown to the clipboard</source>
        <translation>Die angezeigten Meldungen in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Messages: %1</source>
        <translation>Meldungen: %1</translation>
    </message>
    <message>
        <source>Messages: %1 (the last %2 shown)</source>
        <translation>Meldungen: %1 (die letzten %2 angezeigt)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Preparing</source>
        <translation>Vorbereitung</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Validating</source>
        <translation>Validierung</translation>
    </message>
    <message>
        <source>Testing</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>&amp;Start Training</source>
        <translation>Training &amp;starten</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Stop after this batch; the run is checkpointed and can be resumed</source>
        <translation>Nach diesem Batch anhalten; der Lauf bekommt einen Checkpoint und kann fortgesetzt werden</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>Bereit.</translation>
    </message>
    <message>
        <source>Open a project to train on it.</source>
        <translation>Öffnen Sie ein Projekt, um darauf zu trainieren.</translation>
    </message>
    <message>
        <source>The project has no classes yet: label some images first.</source>
        <translation>Das Projekt hat noch keine Klassen: Labeln Sie zuerst einige Bilder.</translation>
    </message>
    <message>
        <source>Train a new run with these settings</source>
        <translation>Einen neuen Lauf mit diesen Einstellungen trainieren</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Vorbereitung …</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Start …</translation>
    </message>
    <message>
        <source>Pausing after this batch…</source>
        <translation>Pause nach diesem Batch …</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>Fortsetzen …</translation>
    </message>
    <message>
        <source>Stopping after this batch and saving a checkpoint…</source>
        <translation>Anhalten nach diesem Batch, Checkpoint wird gespeichert …</translation>
    </message>
    <message>
        <source>Run %1 started.</source>
        <translation>Lauf %1 gestartet.</translation>
    </message>
    <message>
        <source>Epoch %1 of %2 · step %3 of %4</source>
        <translation>Epoche %1 von %2 · Schritt %3 von %4</translation>
    </message>
    <message>
        <source> · %1 left</source>
        <translation> · noch %1</translation>
    </message>
    <message>
        <source>: batch %1 of %2</source>
        <translation>: Batch %1 von %2</translation>
    </message>
    <message>
        <source> · loss %1</source>
        <translation> · Verlust %1</translation>
    </message>
    <message>
        <source> · accuracy %1%</source>
        <translation> · Genauigkeit %1 %</translation>
    </message>
    <message>
        <source>%1 images/s</source>
        <translation>%1 Bilder/s</translation>
    </message>
    <message>
        <source>1 thread</source>
        <translation>1 Thread</translation>
    </message>
    <message>
        <source>%1 threads</source>
        <translation>%1 Threads</translation>
    </message>
    <message>
        <source>%1 loader threads</source>
        <translation>%1 Lade-Threads</translation>
    </message>
    <message>
        <source>device %1</source>
        <translation>Gerät %1</translation>
    </message>
    <message>
        <source>lr %1</source>
        <translation>LR %1</translation>
    </message>
    <message>
        <source>Epoch %1 done</source>
        <translation>Epoche %1 fertig</translation>
    </message>
    <message>
        <source>: validation macro-F1 %1, accuracy %2%</source>
        <translation>: Validierungs-Makro-F1 %1, Genauigkeit %2 %</translation>
    </message>
    <message>
        <source> (best so far)</source>
        <translation> (bisher beste)</translation>
    </message>
    <message numerus="yes">
        <source>Run %1 finished after %n epoch(s).</source>
        <translation>
            <numerusform>Lauf %1 nach %n Epoche fertig.</numerusform>
            <numerusform>Lauf %1 nach %n Epochen fertig.</numerusform>
        </translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Fertig</translation>
    </message>
    <message numerus="yes">
        <source>Run %1 cancelled after %n epoch(s); resume it from the Runs list.</source>
        <translation>
            <numerusform>Lauf %1 nach %n Epoche abgebrochen; in der Liste „Läufe“ fortsetzen.</numerusform>
            <numerusform>Lauf %1 nach %n Epochen abgebrochen; in der Liste „Läufe“ fortsetzen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Run %1 ended (%2).</source>
        <translation>Lauf %1 beendet (%2).</translation>
    </message>
    <message>
        <source> Test: accuracy %1%, macro-F1 %2.</source>
        <translation> Test: Genauigkeit %1 %, Makro-F1 %2.</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Training fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Small CNN (tiny images)</source>
        <translation>Kleines CNN (winzige Bilder)</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <source>none: train from scratch</source>
        <translation>keine: von Grund auf trainieren</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>&amp;Weights file:</source>
        <translation>&amp;Gewichtsdatei:</translation>
    </message>
    <message>
        <source>No pretrained weights ship with Salient. torchvision&apos;s ImageNet .pth files (e.g. resnet18-f37072fd.pth from download.pytorch.org/models/) load as they are; from scratch otherwise.</source>
        <translation>Salient liefert keine vortrainierten Gewichte mit. Die ImageNet-.pth-Dateien von torchvision (z. B. resnet18-f37072fd.pth von download.pytorch.org/models/) werden unverändert geladen; sonst wird von Grund auf trainiert.</translation>
    </message>
    <message>
        <source>Train everything</source>
        <translation>Alles trainieren</translation>
    </message>
    <message>
        <source>Freeze up to layer1</source>
        <translation>Bis layer1 einfrieren</translation>
    </message>
    <message>
        <source>Freeze up to layer2</source>
        <translation>Bis layer2 einfrieren</translation>
    </message>
    <message>
        <source>Freeze up to layer3</source>
        <translation>Bis layer3 einfrieren</translation>
    </message>
    <message>
        <source>Freeze all but the head</source>
        <translation>Alles außer dem Kopf einfrieren</translation>
    </message>
    <message>
        <source>Keeps the first stages of a pretrained backbone fixed; frozen BatchNorm layers keep their statistics</source>
        <translation>Hält die ersten Stufen eines vortrainierten Backbones fest; eingefrorene BatchNorm-Schichten behalten ihre Statistik</translation>
    </message>
    <message>
        <source>Multi-label (each image may carry several classes)</source>
        <translation>Mehrfach-Label (ein Bild kann mehrere Klassen tragen)</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>&amp;Batchgröße:</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Square side the images are resized to; 0: the model&apos;s default</source>
        <translation>Seitenlänge des Quadrats, auf das die Bilder skaliert werden; 0: Vorgabe des Modells</translation>
    </message>
    <message>
        <source>&amp;Image size:</source>
        <translation>&amp;Bildgröße:</translation>
    </message>
    <message>
        <source>The head&apos;s learning rate (the peak for one-cycle), e.g. 0.01 or 1e-3</source>
        <translation>Lernrate des Kopfes (der Höchstwert bei One-Cycle), z. B. 0.01 oder 1e-3</translation>
    </message>
    <message>
        <source>Edit the augmentation for this run (the project&apos;s recipe is not changed)</source>
        <translation>Die Augmentierung für diesen Lauf bearbeiten (das Rezept des Projekts bleibt unverändert)</translation>
    </message>
    <message>
        <source>Use the project&apos;s</source>
        <translation>Das des Projekts nutzen</translation>
    </message>
    <message>
        <source>Augmentation:</source>
        <translation>Augmentierung:</translation>
    </message>
    <message>
        <source>automatic: model and time</source>
        <translation>automatisch: Modell und Uhrzeit</translation>
    </message>
    <message>
        <source>Run &amp;name:</source>
        <translation>Lauf&amp;name:</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>Erweiterte Einstellungen</translation>
    </message>
    <message>
        <source>Loss and imbalance</source>
        <translation>Verlust und Ungleichgewicht</translation>
    </message>
    <message>
        <source>Cross-entropy</source>
        <translation>Kreuzentropie</translation>
    </message>
    <message>
        <source>Focal</source>
        <translation>Focal</translation>
    </message>
    <message>
        <source>Binary cross-entropy (multi-label)</source>
        <translation>Binäre Kreuzentropie (Mehrfach-Label)</translation>
    </message>
    <message>
        <source>Loss:</source>
        <translation>Verlust:</translation>
    </message>
    <message>
        <source>Focal gamma:</source>
        <translation>Focal-Gamma:</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Inverse frequency</source>
        <translation>Inverse Häufigkeit</translation>
    </message>
    <message>
        <source>Effective number of samples</source>
        <translation>Effektive Anzahl der Beispiele</translation>
    </message>
    <message>
        <source>Per-class loss weights from the training split&apos;s counts, as the Class Balance view shows them</source>
        <translation>Verlustgewichte je Klasse aus den Zahlen des Trainings-Splits, wie sie die Ansicht „Klassenbalance“ zeigt</translation>
    </message>
    <message>
        <source>Class weights:</source>
        <translation>Klassengewichte:</translation>
    </message>
    <message>
        <source>Effective-number beta:</source>
        <translation>Beta der effektiven Anzahl:</translation>
    </message>
    <message>
        <source>Shuffle</source>
        <translation>Mischen</translation>
    </message>
    <message>
        <source>Oversample rare classes</source>
        <translation>Seltene Klassen überabtasten</translation>
    </message>
    <message>
        <source>Sampler:</source>
        <translation>Sampler:</translation>
    </message>
    <message>
        <source>Label smoothing:</source>
        <translation>Label-Glättung:</translation>
    </message>
    <message>
        <source>Mix images:</source>
        <translation>Bilder mischen:</translation>
    </message>
    <message>
        <source>Mix alpha:</source>
        <translation>Misch-Alpha:</translation>
    </message>
    <message>
        <source>Share of batches that are mixed</source>
        <translation>Anteil der Batches, die gemischt werden</translation>
    </message>
    <message>
        <source>Mix probability:</source>
        <translation>Mischwahrscheinlichkeit:</translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation>Optimierung</translation>
    </message>
    <message>
        <source>SGD with momentum</source>
        <translation>SGD mit Momentum</translation>
    </message>
    <message>
        <source>Optimiser:</source>
        <translation>Optimierer:</translation>
    </message>
    <message>
        <source>SGD momentum, or AdamW&apos;s beta1</source>
        <translation>SGD-Momentum oder beta1 von AdamW</translation>
    </message>
    <message>
        <source>Momentum:</source>
        <translation>Momentum:</translation>
    </message>
    <message>
        <source>Backbone learning rate = learning rate × this factor</source>
        <translation>Lernrate des Backbones = Lernrate × dieser Faktor</translation>
    </message>
    <message>
        <source>Backbone lr factor:</source>
        <translation>LR-Faktor Backbone:</translation>
    </message>
    <message>
        <source>Weight decay:</source>
        <translation>Weight Decay:</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>Konstant</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>One-cycle</source>
        <translation>One-Cycle</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>Verlauf:</translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> Epochen</translation>
    </message>
    <message>
        <source>Warm-up:</source>
        <translation>Aufwärmen:</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Gradient clipping (L2 norm):</source>
        <translation>Gradienten begrenzen (L2-Norm):</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Keine Grenze</translation>
    </message>
    <message>
        <source>Stop after steps:</source>
        <translation>Anhalten nach Schritten:</translation>
    </message>
    <message>
        <source>Early stopping and the best model</source>
        <translation>Frühes Anhalten und das beste Modell</translation>
    </message>
    <message>
        <source>Stop when the monitored metric has not improved for this many epochs</source>
        <translation>Anhalten, wenn sich die beobachtete Kennzahl so viele Epochen lang nicht verbessert hat</translation>
    </message>
    <message>
        <source>Patience:</source>
        <translation>Geduld:</translation>
    </message>
    <message>
        <source>Validation macro-F1</source>
        <translation>Validierungs-Makro-F1</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>Validierungsgenauigkeit</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>Validierungsverlust</translation>
    </message>
    <message>
        <source>Monitor:</source>
        <translation>Beobachten:</translation>
    </message>
    <message>
        <source>Data and machine</source>
        <translation>Daten und Rechner</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>All cores (%1)</source>
        <translation>Alle Kerne (%1)</translation>
    </message>
    <message>
        <source>LibTorch threads for the arithmetic</source>
        <translation>LibTorch-Threads für die Rechnung</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>Threads:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Threads that decode and augment images</source>
        <translation>Threads, die Bilder dekodieren und augmentieren</translation>
    </message>
    <message>
        <source>Loader threads:</source>
        <translation>Lade-Threads:</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Decoded images kept in memory at training size</source>
        <translation>Dekodierte Bilder, in Trainingsgröße im Speicher gehalten</translation>
    </message>
    <message>
        <source>Image cache:</source>
        <translation>Bild-Cache:</translation>
    </message>
    <message>
        <source>No validation</source>
        <translation>Keine Validierung</translation>
    </message>
    <message>
        <source>Held out of the training split when the project has no validation split (stratified, seeded)</source>
        <translation>Wird aus dem Trainings-Split zurückgehalten, wenn das Projekt keinen Validierungs-Split hat (stratifiziert, mit Seed)</translation>
    </message>
    <message>
        <source>Validation share:</source>
        <translation>Validierungsanteil:</translation>
    </message>
    <message>
        <source>Training split</source>
        <translation>Trainings-Split</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>Validierungs-Split</translation>
    </message>
    <message>
        <source>Test split (evaluated at the end)</source>
        <translation>Test-Split (am Ende ausgewertet)</translation>
    </message>
    <message>
        <source>Splits (train, val, test):</source>
        <translation>Splits (Training, Validierung, Test):</translation>
    </message>
    <message>
        <source>Model default (%1 px)</source>
        <translation>Vorgabe des Modells (%1 px)</translation>
    </message>
    <message numerus="yes">
        <source>The project&apos;s recipe (%n step(s))</source>
        <translation>
            <numerusform>Rezept des Projekts (%n Schritt)</numerusform>
            <numerusform>Rezept des Projekts (%n Schritte)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Custom for this run (%n step(s))</source>
        <translation>
            <numerusform>Eigenes für diesen Lauf (%n Schritt)</numerusform>
            <numerusform>Eigenes für diesen Lauf (%n Schritte)</numerusform>
        </translation>
    </message>
    <message>
        <source>Learning rate: “%1” is not a number.</source>
        <translation>Lernrate: „%1“ ist keine Zahl.</translation>
    </message>
    <message>
        <source>Weight decay: “%1” is not a number.</source>
        <translation>Weight Decay: „%1“ ist keine Zahl.</translation>
    </message>
    <message>
        <source>Weights file not found: %1</source>
        <translation>Gewichtsdatei nicht gefunden: %1</translation>
    </message>
    <message>
        <source>Pretrained Weights</source>
        <translation>Vortrainierte Gewichte</translation>
    </message>
    <message>
        <source>PyTorch weights (*.pth *.pt);;All files (*)</source>
        <translation>PyTorch-Gewichte (*.pth *.pt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Augmentation for This Run</source>
        <translation>Augmentierung für diesen Lauf</translation>
    </message>
    <message>
        <source>Free&amp;ze:</source>
        <translation>Ein&amp;frieren:</translation>
    </message>
    <message>
        <source>Ep&amp;ochs:</source>
        <translation>Ep&amp;ochen:</translation>
    </message>
    <message>
        <source>Learning ra&amp;te:</source>
        <translation>Lern&amp;rate:</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten …</translation>
    </message>
    <message>
        <source>Load Code from a Weights File?</source>
        <translation>Code aus einer Gewichtsdatei laden?</translation>
    </message>
    <message>
        <source>%1 is a TorchScript file. Besides weights it carries code, and LibTorch runs that code while loading it: a file from an untrusted source can do anything your user account can.

Load it only if you trust where it came from. A torch.save(state_dict) .pth file carries no code.

Load this TorchScript file and train?</source>
        <translation>%1 ist eine TorchScript-Datei. Neben den Gewichten enthält sie Code, den LibTorch beim Laden ausführt: Eine Datei aus einer nicht vertrauenswürdigen Quelle kann alles tun, was Ihr Benutzerkonto darf.

Laden Sie sie nur, wenn Sie ihrer Herkunft vertrauen. Eine mit torch.save(state_dict) gespeicherte .pth-Datei enthält keinen Code.

Diese TorchScript-Datei laden und trainieren?</translation>
    </message>
    <message>
        <source>This project is open read-only (another program has it open): a run cannot be stored. Close it there and open it again here to train.</source>
        <translation>Dieses Projekt ist schreibgeschützt geöffnet (ein anderes Programm hat es offen): Ein Lauf kann nicht gespeichert werden. Schließen Sie es dort und öffnen Sie es hier erneut, um zu trainieren.</translation>
    </message>
</context>
<context>
    <name>salient::WindowLevelBar</name>
    <message>
        <source>Window/level preset (display only; right-drag on the image changes window and level)</source>
        <translation>Fenster/Mitte-Voreinstellung (nur Anzeige; Ziehen mit rechter Taste auf dem Bild ändert Fenster und Mitte)</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Mitte</translation>
    </message>
</context>
<context>
    <name>salient::review::ReviewListModel</name>
    <message>
        <source>unlabelled</source>
        <translation>ohne Label</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>%1 -&gt; %2 (%3%)</source>
        <translation>%1 -&gt; %2 (%3%)</translation>
    </message>
    <message>
        <source>image %1 (deleted)</source>
        <translation>Bild %1 (gelöscht)</translation>
    </message>
    <message>
        <source>Verdict: %1</source>
        <translation>Urteil: %1</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Notiz: %1</translation>
    </message>
    <message>
        <source>Reviewed %1</source>
        <translation>Geprüft %1</translation>
    </message>
    <message>
        <source>Reviewed by %1, %2</source>
        <translation>Geprüft von %1, %2</translation>
    </message>
    <message>
        <source>Deletion score: %1</source>
        <translation>Löschwert: %1</translation>
    </message>
</context>
</TS>
